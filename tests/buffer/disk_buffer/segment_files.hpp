#pragma once

#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "buffer/disk_buffer/segment_directory.hpp"

namespace lc::testing {

inline std::uint64_t file_size(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<std::uint64_t>(st.st_size) : 0;
}

// The segment file names in a store's directory, in order.
inline std::vector<std::string> segment_names(const std::string& directory) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (SegmentDirectory::parse_file_name(name)) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

inline std::uint64_t bytes_of_segments(const std::string& directory) {
  std::uint64_t total = 0;
  for (const std::string& name : segment_names(directory))
    total += file_size(directory + "/" + name);
  return total;
}

}  // namespace lc::testing
