#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: console (sinks/console/console_sink.hpp).
const SinkFactory& console_sink_factory();

}  // namespace lc
