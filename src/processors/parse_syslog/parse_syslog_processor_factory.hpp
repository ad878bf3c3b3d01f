#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: parse_syslog (processors/all_processors.cpp).
const ProcessorFactory& parse_syslog_processor_factory();

}  // namespace lc
