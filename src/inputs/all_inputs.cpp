#include "inputs/all_inputs.hpp"

#include "inputs/docker/docker_input_factory.hpp"
#include "inputs/file/files_input_factory.hpp"

namespace lc {

// The one list of input types: a new type is its folder and one line here (and its #include).
const InputTypes& built_in_input_types() {
  static const InputTypes types({
      &docker_input_factory(),
      &files_input_factory(),
  });
  return types;
}

}  // namespace lc
