#pragma once

#include <cstdint>

#include "core/timestamp.hpp"

namespace lc {

// Where a container's log has been delivered up to. Docker has no offsets in its API, only
// timestamps, and several lines can share one timestamp: so the position is the timestamp of
// the last delivered record plus how many records carrying exactly that timestamp were
// delivered. Resuming uses since=time and skips the first count records stamped time.
struct ContainerPosition {
  TimestampNs time = 0;
  std::uint32_t count_at_time = 0;

  // True when the record stamped `record_time`, being the `index_at_time`-th (0-based) record
  // with that timestamp, is at or before this position: already delivered.
  bool covers(TimestampNs record_time, std::uint32_t index_at_time) const {
    return record_time < time || (record_time == time && index_at_time < count_at_time);
  }

  // The position just after that record.
  static ContainerPosition after(TimestampNs record_time, std::uint32_t index_at_time) {
    return {record_time, index_at_time + 1};
  }

  // The later of two positions. Docker stamps stdout and stderr in separate goroutines, so
  // a record can carry a slightly older time than the one before it: never move back.
  static ContainerPosition later(const ContainerPosition& a, const ContainerPosition& b) {
    if (a.time != b.time) return a.time > b.time ? a : b;
    return a.count_at_time >= b.count_at_time ? a : b;
  }

  bool operator==(const ContainerPosition&) const = default;
};

}  // namespace lc
