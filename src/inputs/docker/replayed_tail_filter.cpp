#include "inputs/docker/replayed_tail_filter.hpp"

#include <algorithm>

namespace lc::docker_input {

void ReplayedTailFilter::remember(LogStream stream, TimestampNs time,
                                  std::span<const std::uint64_t> pieces) {
  Joined& slot = recent_[next_];
  next_ = (next_ + 1) % kRemembered;
  slot.time = time;
  slot.stream = stream;
  slot.pieces.assign(pieces.begin(), pieces.end());
  any_ = true;
}

bool ReplayedTailFilter::may_be_tail(LogStream stream, TimestampNs time) const {
  if (!any_) return false;
  return std::any_of(recent_.begin(), recent_.end(), [&](const Joined& joined) {
    return !joined.pieces.empty() && joined.time == time && joined.stream == stream;
  });
}

bool ReplayedTailFilter::is_tail(LogStream stream, TimestampNs time,
                                 std::span<const std::uint64_t> pieces) const {
  if (!any_ || pieces.empty()) return false;
  return std::any_of(recent_.begin(), recent_.end(), [&](const Joined& joined) {
    // A proper tail: the whole line again is ReplayedLineFilter's to judge.
    return joined.time == time && joined.stream == stream && pieces.size() < joined.pieces.size() &&
           std::equal(pieces.begin(), pieces.end(),
                      joined.pieces.end() - static_cast<long>(pieces.size()));
  });
}

}  // namespace lc::docker_input
