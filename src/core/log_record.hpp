#pragma once

#include <cstdint>
#include <string>

#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/file_source.hpp"
#include "core/timestamp.hpp"

namespace lc {

enum class LogStream : std::uint8_t { kStdout = 1, kStderr = 2 };

inline const char* to_string(LogStream stream) {
  return stream == LogStream::kStderr ? "stderr" : "stdout";
}

// One log line, after partial pieces are joined, with where it came from.
struct LogRecord {
  TimestampNs time = 0;
  LogStream stream = LogStream::kStdout;
  // 0-based rank among this container's records carrying exactly `time` (see
  // ContainerPosition): together with `time` it is the record's source position.
  std::uint32_t index_at_time = 0;
  bool truncated = false;  // cut at the configured maximum line size
  bool invalid = false;    // a json-file line that was not valid JSON: passed on raw
  // The message is known to be valid UTF-8 (checked on its way in): sinks need not check it.
  bool valid_utf8 = false;
  ContainerMetadataPtr container;
  // Set for the records of a tailed file (inputs/file); nullptr for container records.
  FileSourcePtr file_source;
  std::string message;  // without the trailing newline
  // Set when the record was read from a file: the position just after it there.
  FilePosition file_position;
  // Fingerprint of that file (see FileResumePoint); 0 when unknown or not read from a file.
  std::uint64_t file_fingerprint = 0;

  ContainerPosition position_after() const {
    return ContainerPosition::after(time, index_at_time);
  }

  // Memory this record holds, for the pipeline's byte bound. The message's size, not its
  // capacity: a copy (one per sink) must count the same as the original.
  std::size_t memory_bytes() const { return sizeof(LogRecord) + message.size(); }
};

}  // namespace lc
