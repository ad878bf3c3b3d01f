#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: level (processors/all_processors.cpp).
const ProcessorFactory& level_processor_factory();

}  // namespace lc
