#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: log_to_metric (processors/all_processors.cpp).
const ProcessorFactory& log_to_metric_processor_factory();

}  // namespace lc
