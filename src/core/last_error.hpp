#pragma once

#include <cerrno>
#include <system_error>

namespace lc {

// The error of the system call that just failed (errno), as a std::error_code.
inline std::error_code last_error() { return {errno, std::generic_category()}; }

}  // namespace lc
