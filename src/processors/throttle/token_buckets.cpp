#include "processors/throttle/token_buckets.hpp"

#include <algorithm>

namespace lc {

TokenBuckets::TokenBuckets(double rate, double burst, std::size_t max_keys)
    : rate_(rate), burst_(std::max(burst, 1.0)), buckets_(max_keys) {}

bool TokenBuckets::take(const KeyDigest& key, Clock::time_point now, bool& evicted) {
  const std::lock_guard lock(mutex_);
  Bucket& bucket = buckets_.find_or_add(
      key,
      [&] {
        return Bucket{burst_, now};
      },
      evicted);
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  if (elapsed > 0) {
    bucket.tokens = std::min(burst_, bucket.tokens + elapsed * rate_);
    bucket.updated = now;
  }
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

}  // namespace lc
