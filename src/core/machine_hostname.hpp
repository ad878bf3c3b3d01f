#pragma once

#include <string>

namespace lc {

// This machine's host name (gethostname), or "unknown": what `.host` reads in templates.
std::string machine_hostname();

}  // namespace lc
