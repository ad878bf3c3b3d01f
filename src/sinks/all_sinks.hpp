#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// Every sink type this build has (sinks/all_sinks.cpp: one line per type).
const SinkTypes& built_in_sink_types();

}  // namespace lc
