#pragma once

#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>

namespace lc::testing {

// Lines in the file store's logs-*.ndjson files under `store` (0 when it does not exist yet).
inline std::size_t stored_lines(const std::string& store) {
  std::size_t lines = 0;
  if (!std::filesystem::exists(store)) return 0;
  for (const auto& entry : std::filesystem::directory_iterator(store)) {
    if (entry.path().extension() != ".ndjson") continue;
    std::ifstream file(entry.path());
    for (std::string line; std::getline(file, line);) ++lines;
  }
  return lines;
}

}  // namespace lc::testing
