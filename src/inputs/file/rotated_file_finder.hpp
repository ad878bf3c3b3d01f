#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/file_position.hpp"

namespace lc::file_input {

// A file found under one of the names a rotated copy of the tailed file may take.
struct RotatedFile {
  std::string name;
  FileIdentity identity;
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0;
};

// Finds the files a tailed file was rotated to: the names in its directory that match the
// configured patterns (glob(3), no braces), where {name} stands for the file's name, {stem}
// for that name without its last extension and {ext} for that extension with its dot. For
// app.log: "{name}.[0-9]" finds app.log.1, "{stem}-[0-9]*[0-9]{ext}" app-20240101.log.
// Used when a file was rotated while the reader did not hold it open: after a restart, while
// it was closed under max_open_files, or when it was rotated more than once between two reads.
class RotatedFileFinder {
 public:
  // Default patterns: logrotate's numbered and dated names, and dated names before the
  // extension; all end in a digit so that compressed copies (.gz, .zst) never match.
  static std::vector<std::string> default_patterns();

  RotatedFileFinder(const std::string& path, const std::vector<std::string>& patterns);

  // Regular files matching the patterns, the tailed path itself excluded, oldest first (by
  // modification time).
  std::vector<RotatedFile> list() const;
  std::optional<RotatedFile> find(FileIdentity identity) const;

 private:
  std::string path_;
  std::vector<std::string> globs_;  // absolute glob patterns
};

}  // namespace lc::file_input
