#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: parse_json (processors/all_processors.cpp).
const ProcessorFactory& parse_json_processor_factory();

}  // namespace lc
