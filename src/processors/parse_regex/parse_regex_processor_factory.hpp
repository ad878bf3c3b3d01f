#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: parse_regex (processors/all_processors.cpp).
const ProcessorFactory& parse_regex_processor_factory();

}  // namespace lc
