#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: splunk_hec (sinks/splunk_hec/splunk_hec_sink.hpp).
const SinkFactory& splunk_hec_sink_factory();

}  // namespace lc
