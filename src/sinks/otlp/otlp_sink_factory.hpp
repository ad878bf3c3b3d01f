#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: otlp (sinks/otlp/otlp_sink.hpp).
const SinkFactory& otlp_sink_factory();

}  // namespace lc
