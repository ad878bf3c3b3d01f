#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: container_hints (processors/all_processors.cpp).
const ProcessorFactory& container_hints_processor_factory();

}  // namespace lc
