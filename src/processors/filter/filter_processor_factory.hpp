#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: filter (processors/all_processors.cpp).
const ProcessorFactory& filter_processor_factory();

}  // namespace lc
