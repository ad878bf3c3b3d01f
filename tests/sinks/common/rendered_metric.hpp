#pragma once

#include <string>

namespace lc::testing {

// The value of the series `series` (name and labels) in a rendered registry; -1 when absent.
inline double rendered_metric(const std::string& text, const std::string& series) {
  const std::size_t at = text.find("\n" + series + " ");
  if (at == std::string::npos) return -1;
  return std::stod(text.substr(at + series.size() + 2));
}

}  // namespace lc::testing
