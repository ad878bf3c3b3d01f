#pragma once

#include <cstdint>
#include <string>

#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/file_position.hpp"
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
  ContainerMetadataPtr container;
  std::string message;  // without the trailing newline
  // Set when the record was read from a file: the position just after it there.
  FilePosition file_position;

  ContainerPosition position_after() const {
    return ContainerPosition::after(time, index_at_time);
  }

  // Memory this record holds, for the pipeline's byte bound.
  std::size_t memory_bytes() const { return sizeof(LogRecord) + message.capacity(); }
};

}  // namespace lc
