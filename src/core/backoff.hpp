#pragma once

#include <algorithm>
#include <chrono>
#include <random>

namespace lc {

// Exponential backoff with full jitter (AWS's "full jitter"): each delay is uniform in
// [0, min(max, initial * 2^attempt)], so many clients retrying together spread out.
class Backoff {
 public:
  using Duration = std::chrono::milliseconds;

  Backoff(Duration initial, Duration max) : initial_(initial), max_(std::max(initial, max)) {}

  Duration next() {
    const auto ceiling = current_ceiling();
    if (attempt_ < 62) ++attempt_;
    std::uniform_int_distribution<long long> pick(0, ceiling.count());
    return Duration(pick(generator()));
  }
  void reset() { attempt_ = 0; }
  unsigned attempts() const { return attempt_; }

 private:
  // One per thread, seeded once: a Backoff is made per batch, and seeding from
  // std::random_device costs a system call.
  static std::minstd_rand& generator() {
    thread_local std::minstd_rand random{std::random_device{}()};
    return random;
  }

  Duration current_ceiling() const {
    const long long initial = std::max<long long>(1, initial_.count());
    const int shift = std::min<unsigned>(attempt_, 30);
    return Duration(std::min<long long>(max_.count(), initial << shift));
  }

  Duration initial_;
  Duration max_;
  unsigned attempt_ = 0;
};

}  // namespace lc
