#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: file_store (sinks/all_sinks.cpp).
const SinkFactory& file_store_sink_factory();

}  // namespace lc
