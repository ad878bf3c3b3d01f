#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// Every processor type this build has (processors/all_processors.cpp: one line per type).
const ProcessorTypes& built_in_processor_types();

}  // namespace lc
