#pragma once

#include "inputs/input_factory.hpp"

namespace lc {

// Every input type this build has, found by its YAML `type:`.
const InputTypes& built_in_input_types();

}  // namespace lc
