#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: parse_timestamp (processors/all_processors.cpp).
const ProcessorFactory& parse_timestamp_processor_factory();

}  // namespace lc
