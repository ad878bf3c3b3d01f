#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: parse_logfmt (processors/all_processors.cpp).
const ProcessorFactory& parse_logfmt_processor_factory();

}  // namespace lc
