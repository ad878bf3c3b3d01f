#pragma once

#include <string_view>

namespace lc {

// The project version from CMake (project(... VERSION ...)), e.g. "0.1.0".
std::string_view agent_version();

}  // namespace lc
