#pragma once

#include <stdexcept>

namespace lc {

// A configuration the agent refuses to run with. what() holds one line per problem, each
// "source:line:column: full.key: message" so editors and CI can jump straight to it.
struct ConfigError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace lc
