#include "core/machine_hostname.hpp"

#include <unistd.h>

#include <array>

namespace lc {

std::string machine_hostname() {
  std::array<char, 256> name{};
  if (::gethostname(name.data(), name.size() - 1) != 0 || name[0] == '\0') return "unknown";
  return name.data();
}

}  // namespace lc
