#pragma once

#include "inputs/json_file/positioned_read.hpp"

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "core/file_position.hpp"
#include "inputs/json_file/unique_fd.hpp"

namespace lc::file_input {

using json_file::is_line_start;  // shared with the json-file reader
using json_file::read_at;

using json_file::UniqueFd;

// What the tailer needs to know about a file: which one it is, how big, whether it still has a
// name (st_nlink > 0), and when it was last written (to order rotated files).
struct FileStatus {
  FileIdentity identity;
  std::uint64_t size = 0;
  bool linked = true;
  std::int64_t modified_ns = 0;
};

std::optional<FileStatus> status_of_fd(int fd);
// Follows symlinks; nullopt unless `path` names a regular file.
std::optional<FileStatus> status_of_path(const std::string& path);

// Opens read-only (close-on-exec); invalid when it cannot.
UniqueFd open_for_reading(const std::string& path);
// Opens `path` only if it still is `expected` (it may have been renamed or replaced since).
UniqueFd open_if_identity(const std::string& path, FileIdentity expected);



}  // namespace lc::file_input
