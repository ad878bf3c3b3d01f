#pragma once

#include "inputs/input_factory.hpp"

namespace lc {

// inputs.<name>: {type: docker}, inputs.docker for short (on unless `enabled: false`).
const InputFactory& docker_input_factory();

}  // namespace lc
