#include "inputs/docker/replayed_line_filter.hpp"

#include <functional>

namespace lc::docker_input {

bool ReplayedLineFilter::seen_recently(TimestampNs time, LogStream stream,
                                       std::uint64_t hash) const {
  for (std::size_t i = 0; i < size_; ++i) {
    const Seen& seen = recent_[i];
    if (seen.time == time && seen.hash == hash && seen.stream == stream) return true;
  }
  return false;
}

bool ReplayedLineFilter::is_replay(TimestampNs time, LogStream stream, std::string_view message) {
  const std::uint64_t hash = std::hash<std::string_view>{}(message);
  // At a rotation dockerd may also re-send just the last line: the same timestamp, stream
  // and text twice in a row, which two genuine lines cannot be (each is stamped anew).
  bool repeats_previous = false;
  if (size_ > 0) {
    const Seen& previous = recent_[(next_ + size_ - 1) % size_];
    repeats_previous = previous.time == time && previous.hash == hash && previous.stream == stream;
  }
  const bool may_replay = replaying_ ? time <= latest_ : time < latest_;
  if (repeats_previous || (may_replay && seen_recently(time, stream, hash))) {
    replaying_ = true;
    return true;
  }
  replaying_ = false;
  if (time > latest_) latest_ = time;
  if (size_ < kRemembered) {  // still growing: next_ stays 0, the oldest is recent_[0]
    recent_.push_back(Seen{time, hash, stream});
    ++size_;
  } else {
    recent_[next_] = Seen{time, hash, stream};
    next_ = (next_ + 1) % kRemembered;
  }
  return false;
}

}  // namespace lc::docker_input
