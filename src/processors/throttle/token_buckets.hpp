#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>

#include "processors/common/bounded_key_map.hpp"
#include "processors/common/key_digest.hpp"

namespace lc {

// A token bucket per key (throttle): each key gains `rate` tokens per second up to `burst`;
// a record takes one or is refused. At most `max_keys` buckets: the least recently used is
// forgotten for a new key (which starts full). Thread-safe.
class TokenBuckets {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBuckets(double rate, double burst, std::size_t max_keys);

  // Whether a record of `key` may pass at `now`; `evicted`: a bucket was forgotten for it.
  bool take(const KeyDigest& key, Clock::time_point now, bool& evicted);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };
  double rate_;
  double burst_;
  std::mutex mutex_;
  BoundedKeyMap<KeyDigest, Bucket, KeyDigestHash> buckets_;
};

}  // namespace lc
