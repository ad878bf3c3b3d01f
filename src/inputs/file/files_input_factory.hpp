#pragma once

#include "inputs/input_factory.hpp"

namespace lc {

// inputs.<name>: {type: files}, inputs.files for short (off unless `enabled: true`).
const InputFactory& files_input_factory();

}  // namespace lc
