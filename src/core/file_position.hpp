#pragma once

#include <cstdint>

namespace lc {

// Identity of a file that survives renames (rotation): device and inode.
struct FileIdentity {
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  bool operator==(const FileIdentity&) const = default;
  bool valid() const { return inode != 0; }
};

// A place in a file read directly (json-file logs, tailed files): the byte offset just after
// a record, in the file with that identity.
struct FilePosition {
  FileIdentity file;
  std::uint64_t offset = 0;
  bool operator==(const FilePosition&) const = default;
};

}  // namespace lc
