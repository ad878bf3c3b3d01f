#pragma once

#include <cerrno>
#include <cstddef>
#include <set>
#include <system_error>

#include "core/file_sync.hpp"

namespace lc::testing {

// The real fsync, except that the calls chosen by fail_call() (counted from 1) fail with EIO
// without syncing: a writeback error as the kernel reports it, once.
class ScriptedFileSync final : public FileSync {
 public:
  // Makes the `number`th call from now fail.
  void fail_call(std::size_t number) { failing_.insert(calls_ + number); }
  std::size_t calls() const { return calls_; }

  std::error_code sync(int fd) override {
    ++calls_;
    if (failing_.erase(calls_) > 0) return std::make_error_code(std::errc::io_error);
    return system_file_sync().sync(fd);
  }

 private:
  std::size_t calls_ = 0;
  std::set<std::size_t> failing_;
};

}  // namespace lc::testing
