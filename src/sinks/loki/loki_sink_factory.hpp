#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: loki (sinks/all_sinks.cpp).
const SinkFactory& loki_sink_factory();

}  // namespace lc
