#include "inputs/file/rotated_file_finder.hpp"

#include <glob.h>

#include <algorithm>
#include <set>
#include <string_view>

#include "inputs/file/file_access.hpp"

namespace lc::file_input {

namespace {

// The name as a glob pattern that matches only itself.
std::string escape_glob(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

void replace_all(std::string& text, std::string_view from, const std::string& to) {
  for (std::size_t at = 0; (at = text.find(from, at)) != std::string::npos; at += to.size()) {
    text.replace(at, from.size(), to);
  }
}

}  // namespace

std::vector<std::string> RotatedFileFinder::default_patterns() {
  return {"{name}.[0-9]", "{name}.[0-9]*[0-9]", "{name}-[0-9]*[0-9]", "{stem}-[0-9]*[0-9]{ext}"};
}

RotatedFileFinder::RotatedFileFinder(const std::string& path,
                                     const std::vector<std::string>& patterns)
    : path_(path) {
  const std::size_t slash = path.rfind('/');
  const std::string directory = slash == std::string::npos ? "." : path.substr(0, slash);
  const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
  const std::size_t dot = name.rfind('.');
  const bool has_ext = dot != std::string::npos && dot > 0;
  const std::string stem = escape_glob(has_ext ? name.substr(0, dot) : name);
  const std::string ext = has_ext ? escape_glob(name.substr(dot)) : std::string();
  const std::string escaped_name = escape_glob(name);
  std::set<std::string> unique;
  for (std::string pattern : patterns) {
    replace_all(pattern, "{name}", escaped_name);
    replace_all(pattern, "{stem}", stem);
    replace_all(pattern, "{ext}", ext);
    if (unique.insert(pattern).second) globs_.push_back(escape_glob(directory) + "/" + pattern);
  }
}

std::vector<RotatedFile> RotatedFileFinder::list() const {
  std::set<std::string> names;
  for (const std::string& pattern : globs_) {
    glob_t found{};
    if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &found) == 0) {
      for (std::size_t i = 0; i < found.gl_pathc; ++i) names.insert(found.gl_pathv[i]);
    }
    ::globfree(&found);
  }
  names.erase(path_);
  std::vector<RotatedFile> files;
  for (const std::string& name : names) {
    if (const auto status = status_of_path(name)) {
      files.push_back({name, status->identity, status->size, status->modified_ns});
    }
  }
  std::sort(files.begin(), files.end(), [](const RotatedFile& a, const RotatedFile& b) {
    return a.modified_ns != b.modified_ns ? a.modified_ns < b.modified_ns : a.name < b.name;
  });
  return files;
}

std::optional<RotatedFile> RotatedFileFinder::find(FileIdentity identity) const {
  for (RotatedFile& file : list()) {
    if (file.identity == identity) return std::move(file);
  }
  return std::nullopt;
}

}  // namespace lc::file_input
