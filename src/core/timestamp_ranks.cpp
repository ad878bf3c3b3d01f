#include "core/timestamp_ranks.hpp"

namespace lc {

void TimestampRanks::seed(StreamPosition delivered) {
  if (delivered.count_at_time == 0) return;
  size_ = 1;
  newest_ = 0;
  entries_[0] = Entry{delivered.time, delivered.count_at_time};
}

std::uint32_t TimestampRanks::next(TimestampNs time) {
  if (size_ > 0 && entries_[newest_].time == time) return entries_[newest_].count++;
  for (std::size_t i = 0; i < size_; ++i) {
    if (entries_[i].time == time) return entries_[i].count++;
  }
  newest_ = size_ < kTracked ? size_++ : (newest_ + 1) % kTracked;
  entries_[newest_] = Entry{time, 1};
  return 0;
}

}  // namespace lc
