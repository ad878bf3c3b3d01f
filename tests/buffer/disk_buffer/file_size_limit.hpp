#pragma once

#include <sys/resource.h>

#include <csignal>
#include <cstdint>

namespace lc::testing {

// Lowers RLIMIT_FSIZE for the scope, as a full disk would: writes past `bytes` fail with EFBIG
// (SIGXFSZ is ignored meanwhile, else it kills the process). Restores both on destruction.
class ScopedFileSizeLimit {
 public:
  explicit ScopedFileSizeLimit(std::uint64_t bytes) : old_handler_(std::signal(SIGXFSZ, SIG_IGN)) {
    ::getrlimit(RLIMIT_FSIZE, &saved_);
    rlimit limited = saved_;
    limited.rlim_cur = bytes;
    applied_ = ::setrlimit(RLIMIT_FSIZE, &limited) == 0;
  }
  ~ScopedFileSizeLimit() { lift(); }
  ScopedFileSizeLimit(const ScopedFileSizeLimit&) = delete;
  ScopedFileSizeLimit& operator=(const ScopedFileSizeLimit&) = delete;

  bool applied() const { return applied_; }
  // Ends the limit before the scope does.
  void lift() {
    if (lifted_) return;
    ::setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, old_handler_);
    lifted_ = true;
  }

 private:
  rlimit saved_{};
  void (*old_handler_)(int);
  bool applied_ = false;
  bool lifted_ = false;
};

}  // namespace lc::testing
