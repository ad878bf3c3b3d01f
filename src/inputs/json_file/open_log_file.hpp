#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/file_position.hpp"
#include "inputs/json_file/gzip_log_file.hpp"
#include "inputs/json_file/log_file_chain.hpp"
#include "inputs/json_file/unique_fd.hpp"

namespace lc::json_file {

// The file of a log chain a reader has open: plain, or compressed by dockerd (`.gz`), read at
// offsets of its uncompressed content either way. Owns the fd.
class OpenLogFile {
 public:
  OpenLogFile(UniqueFd fd, const ChainFile& file, std::uint64_t offset);

  ssize_t read_at(char* data, std::size_t size, std::uint64_t at);  // -1 with errno
  bool is_line_start(std::uint64_t at);
  // Of its first line (see file_fingerprint); computed once that line is complete.
  std::uint64_t first_line_fingerprint();
  // Truncated and written again (copytruncate, or a restarted dockerd): read from the start.
  void restart() {
    offset = 0;
    fingerprint_ = 0;
  }
  bool compressed() const { return gzip_ != nullptr; }
  // A compressed file read to its end that ended inside a gzip member (truncated).
  bool cut_short() const { return gzip_ && !unreadable && !gzip_->ended_cleanly(); }
  int fd() const { return fd_.get(); }

  FileIdentity identity;
  std::uint64_t offset = 0;  // just after the last consumed line
  // A compressed file that failed to decompress further: finished where it failed.
  bool unreadable = false;

 private:
  UniqueFd fd_;
  std::unique_ptr<GzipLogFile> gzip_;  // reads through fd_, declared after it
  std::uint64_t fingerprint_ = 0;
};

}  // namespace lc::json_file
