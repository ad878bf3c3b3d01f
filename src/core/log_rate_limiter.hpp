#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

namespace lc {

// Lets one report through per interval and counts those it holds back, so that an outage logs
// a line every few seconds instead of one per retry. Not thread-safe: one owner.
class LogRateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit LogRateLimiter(Clock::duration interval) : interval_(interval) {}

  // The number of reports suppressed since the last one let through, or nullopt when this
  // one is to be suppressed too.
  std::optional<std::uint64_t> admit(Clock::time_point now = Clock::now()) {
    if (admitted_once_ && now - last_admitted_ < interval_) {
      ++suppressed_;
      return std::nullopt;
    }
    admitted_once_ = true;
    last_admitted_ = now;
    const std::uint64_t suppressed = suppressed_;
    suppressed_ = 0;
    return suppressed;
  }

 private:
  Clock::duration interval_;
  bool admitted_once_ = false;
  Clock::time_point last_admitted_{};
  std::uint64_t suppressed_ = 0;
};

}  // namespace lc
