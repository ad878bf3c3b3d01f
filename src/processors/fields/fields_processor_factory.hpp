#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: fields (processors/all_processors.cpp).
const ProcessorFactory& fields_processor_factory();

}  // namespace lc
