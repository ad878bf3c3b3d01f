#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: syslog (sinks/syslog/syslog_sink.hpp).
const SinkFactory& syslog_sink_factory();

}  // namespace lc
