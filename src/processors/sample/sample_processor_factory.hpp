#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: sample (processors/all_processors.cpp).
const ProcessorFactory& sample_processor_factory();

}  // namespace lc
