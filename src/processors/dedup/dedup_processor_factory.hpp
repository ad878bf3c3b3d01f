#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: dedup (processors/all_processors.cpp).
const ProcessorFactory& dedup_processor_factory();

}  // namespace lc
