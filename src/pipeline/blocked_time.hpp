#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace lc {

// The time inputs spent waiting for room under the memory bound, summed over inputs, waits
// still going on included: scraped in the middle of a long sink outage, it shows the time
// blocked so far, not 0 until the outage ends. Thread-safe.
class BlockedTime {
 public:
  using Clock = std::chrono::steady_clock;

  // One input waiting, from construction to destruction.
  class Wait {
   public:
    explicit Wait(BlockedTime& owner) : owner_(owner), start_(now_ns()) { owner_.begin(start_); }
    ~Wait() { owner_.end(start_); }
    Wait(const Wait&) = delete;
    Wait& operator=(const Wait&) = delete;

   private:
    BlockedTime& owner_;
    std::int64_t start_;
  };

  double seconds() const {
    std::lock_guard lock(mutex_);
    const std::int64_t ongoing = waiting_ * now_ns() - started_sum_ns_;
    return static_cast<double>(finished_ns_ + ongoing) / 1e9;
  }

 private:
  static std::int64_t now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
  }
  void begin(std::int64_t start) {
    std::lock_guard lock(mutex_);
    ++waiting_;
    started_sum_ns_ += start;
  }
  void end(std::int64_t start) {
    const std::int64_t end = now_ns();
    std::lock_guard lock(mutex_);
    --waiting_;
    started_sum_ns_ -= start;
    finished_ns_ += end - start;
  }

  mutable std::mutex mutex_;
  std::int64_t finished_ns_ = 0;
  std::int64_t started_sum_ns_ = 0;
  std::int64_t waiting_ = 0;
};

}  // namespace lc
