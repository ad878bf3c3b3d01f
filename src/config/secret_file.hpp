#pragma once

#include <string>

#include "config/config_value_checks.hpp"

namespace lc {

// A secret kept in a file of its own (a Kubernetes or Docker secret, a systemd credential):
// its whole content, without one trailing line break. A problem (unreadable, empty, larger than
// 64 KiB) is said with the path and never with the content.
ValueProblem read_secret_file(const std::string& path, std::string& secret);

}  // namespace lc
