#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: http (sinks/http/http_output_sink.hpp).
const SinkFactory& http_output_sink_factory();

}  // namespace lc
