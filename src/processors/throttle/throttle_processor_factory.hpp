#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: throttle (processors/all_processors.cpp).
const ProcessorFactory& throttle_processor_factory();

}  // namespace lc
