#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <utility>

namespace lc {

// The time inputs spent waiting for room under the memory bound, summed over inputs, waits
// still going on included: scraped in the middle of a long sink outage, it shows the time
// blocked so far, not 0 until the outage ends. Thread-safe.
class BlockedTime {
 public:
  using Clock = std::chrono::steady_clock;
  // Nanoseconds on a monotonic clock (injectable so tests can start at a large uptime).
  using NowNs = std::function<std::int64_t()>;

  BlockedTime() : BlockedTime(steady_now_ns) {}
  explicit BlockedTime(NowNs now_ns) : now_ns_(std::move(now_ns)) {}

  // One input waiting, from construction to destruction.
  class Wait {
   public:
    explicit Wait(BlockedTime& owner) : owner_(owner), start_(owner.now_ns_()) {
      owner_.begin(start_);
    }
    ~Wait() { owner_.end(start_); }
    Wait(const Wait&) = delete;
    Wait& operator=(const Wait&) = delete;

   private:
    BlockedTime& owner_;
    std::int64_t start_;
  };

  double seconds() const {
    std::lock_guard lock(mutex_);
    // waiting * now overflows after long uptimes (many waiters): the sum of the ongoing waits
    // is computed modulo 2^64, exact since that sum itself fits in 63 bits.
    const std::uint64_t now = static_cast<std::uint64_t>(now_ns_());
    const auto ongoing = static_cast<std::int64_t>(waiting_ * now - started_sum_ns_);
    return static_cast<double>(finished_ns_ + ongoing) / 1e9;
  }

 private:
  static std::int64_t steady_now_ns() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now().time_since_epoch())
        .count();
  }
  void begin(std::int64_t start) {
    std::lock_guard lock(mutex_);
    ++waiting_;
    started_sum_ns_ += static_cast<std::uint64_t>(start);
  }
  void end(std::int64_t start) {
    const std::int64_t end = now_ns_();
    std::lock_guard lock(mutex_);
    --waiting_;
    started_sum_ns_ -= static_cast<std::uint64_t>(start);
    finished_ns_ += end - start;
  }

  const NowNs now_ns_;
  mutable std::mutex mutex_;
  std::int64_t finished_ns_ = 0;
  std::uint64_t started_sum_ns_ = 0;  // modulo 2^64
  std::uint64_t waiting_ = 0;
};

}  // namespace lc
