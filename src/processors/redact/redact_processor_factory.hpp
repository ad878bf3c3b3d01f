#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: redact (processors/all_processors.cpp).
const ProcessorFactory& redact_processor_factory();

}  // namespace lc
