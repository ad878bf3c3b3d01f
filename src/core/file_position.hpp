#pragma once

#include <array>
#include <cstdint>

#include "core/container_position.hpp"

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

// Where to resume reading a file after a restart: the position to read from (just after the
// last delivered record, or the start of a line still being joined then), the fingerprint of
// that file (which tells a reused inode from the original file; 0: not known, not checked),
// where the last delivered record itself ends (records read again up to there are delivered:
// by bytes, never by time), and, for container logs, the ContainerPosition just after that same
// record, so that index_at_time continues exactly where it stopped.
struct FileResumePoint {
  FilePosition position;
  std::uint64_t fingerprint = 0;
  ContainerPosition container_position;
  // Invalid (no file): the same as `position` (no line was open).
  FilePosition delivered_through;
  // Container json-file logs: just after the last delivered record of each stream (stdout,
  // stderr). A stream's multi-line record may end after the other stream's later records, so
  // one place cannot say what both delivered. Invalid: delivered_end() stands for both (older
  // checkpoints, tailed files).
  std::array<FilePosition, 2> stream_ends{};
  // Read from a checkpoint of format 1, whose place may be the start of an open line with no
  // delivered_through: the position must say which records read again were delivered.
  bool check_times = false;

  const FilePosition& delivered_end() const {
    return delivered_through.file.valid() ? delivered_through : position;
  }
  const FilePosition& stream_end(LogStream stream) const {
    const FilePosition& end = stream_ends[stream == LogStream::kStderr];
    return end.file.valid() ? end : delivered_end();
  }
  bool operator==(const FileResumePoint&) const = default;
};

}  // namespace lc
