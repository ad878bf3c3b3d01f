#pragma once

#include "processors/processor_factory.hpp"

namespace lc {

// type: lua (processors/all_processors.cpp).
const ProcessorFactory& lua_processor_factory();

}  // namespace lc
