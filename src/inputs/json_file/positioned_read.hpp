#pragma once

#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>

namespace lc::json_file {

// pread that retries on EINTR; -1 with errno on failure. Shared by the file readers.
inline ssize_t read_at(int fd, char* data, std::size_t size, std::uint64_t offset) {
  ssize_t n;
  do {
    n = ::pread(fd, data, size, static_cast<off_t>(offset));
  } while (n < 0 && errno == EINTR);
  return n;
}

// True when `offset` starts a line: the file's start, or just after a '\n'.
inline bool is_line_start(int fd, std::uint64_t offset) {
  if (offset == 0) return true;
  char byte = 0;
  return read_at(fd, &byte, 1, offset - 1) == 1 && byte == '\n';
}

}  // namespace lc::json_file
