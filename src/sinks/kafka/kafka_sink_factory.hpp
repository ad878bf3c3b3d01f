#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: kafka (sinks/all_sinks.cpp).
const SinkFactory& kafka_sink_factory();

}  // namespace lc
