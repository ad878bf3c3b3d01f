#include "inputs/file/file_discovery.hpp"

#include <fnmatch.h>
#include <glob.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <tuple>

#include "inputs/file/file_access.hpp"

namespace lc::file_input {

namespace {

constexpr int kGlobFlags = GLOB_BRACE | GLOB_NOSORT;

bool has_wildcard(const std::string& text) {
  return text.find_first_of("*?[{\\") != std::string::npos;
}

std::vector<std::string> expand(const std::string& pattern, int extra_flags = 0) {
  std::vector<std::string> out;
  glob_t found{};
  if (::glob(pattern.c_str(), kGlobFlags | extra_flags, nullptr, &found) == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) out.emplace_back(found.gl_pathv[i]);
  }
  ::globfree(&found);
  return out;
}

// The last '/' outside braces: "{a/x,b}/y.log" splits into "{a/x,b}" and "y.log".
std::size_t last_separator(const std::string& pattern) {
  std::size_t last = std::string::npos;
  int depth = 0;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] == '\\') {
      ++i;
    } else if (pattern[i] == '{') {
      ++depth;
    } else if (pattern[i] == '}' && depth > 0) {
      --depth;
    } else if (pattern[i] == '/' && depth == 0) {
      last = i;
    }
  }
  return last;
}

}  // namespace

bool FileDiscovery::WatchTarget::operator<(const WatchTarget& other) const {
  return std::tie(directory, name_prefix) < std::tie(other.directory, other.name_prefix);
}

FileDiscovery::FileDiscovery(std::vector<std::string> include, std::vector<std::string> exclude)
    : include_(std::move(include)), exclude_(std::move(exclude)) {}

bool FileDiscovery::excluded(const std::string& path) const {
  return std::any_of(exclude_.begin(), exclude_.end(), [&](const std::string& pattern) {
    return ::fnmatch(pattern.c_str(), path.c_str(), 0) == 0;
  });
}

std::vector<std::string> FileDiscovery::matching_paths() const {
  std::set<std::string> paths;
  for (const std::string& pattern : include_) {
    for (std::string& path : expand(pattern)) {
      if (!excluded(path) && status_of_path(path)) paths.insert(std::move(path));
    }
  }
  return {paths.begin(), paths.end()};
}

std::vector<FileDiscovery::WatchTarget> FileDiscovery::watch_targets() const {
  std::set<WatchTarget> targets;
  for (const std::string& pattern : include_) {
    const std::size_t slash = last_separator(pattern);
    const std::string directory_pattern =
        slash == std::string::npos ? "." : (slash == 0 ? "/" : pattern.substr(0, slash));
    const std::string name_pattern =
        slash == std::string::npos ? pattern : pattern.substr(slash + 1);
    const std::string prefix = name_pattern.substr(0, name_pattern.find_first_of("*?[{\\"));
    if (!has_wildcard(directory_pattern)) {
      targets.insert({directory_pattern, prefix});  // watched (or polled) even before it exists
      continue;
    }
    for (std::string& directory : expand(directory_pattern, GLOB_ONLYDIR)) {
      std::error_code error;  // GLOB_ONLYDIR is only a hint
      if (std::filesystem::is_directory(directory, error)) {
        targets.insert({std::move(directory), prefix});
      }
    }
  }
  return {targets.begin(), targets.end()};
}

}  // namespace lc::file_input
