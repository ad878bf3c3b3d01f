#include "config/version.hpp"

#ifndef LC_PROJECT_VERSION
#error "LC_PROJECT_VERSION must be defined by src/config/CMakeLists.txt"
#endif

namespace lc {

std::string_view agent_version() { return LC_PROJECT_VERSION; }

}  // namespace lc
