#pragma once

#include <system_error>

namespace lc {

// fsync(2) behind an interface, so that tests can make it fail. Linux reports a writeback
// error once per open file: the next fsync of that file succeeds although the data is lost,
// so a caller must remember a failure itself (docs/file-store.md, "fsync failures").
class FileSync {
 public:
  virtual ~FileSync() = default;
  // fsync(fd), retried on EINTR.
  virtual std::error_code sync(int fd) = 0;
};

// The real fsync(2).
FileSync& system_file_sync();

}  // namespace lc
