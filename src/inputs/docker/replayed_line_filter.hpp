#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string_view>
#include <vector>

#include "core/log_record.hpp"
#include "core/timestamp.hpp"

namespace lc::docker_input {

// dockerd's follow stream re-sends a block of lines, with their original timestamps, when a
// json-file log rotates under it (seen on 20.10: from 10 to several hundred lines at each
// rotation, the more the further the reader was behind). A replay starts with a line that goes
// back in time and equals one of the recent lines (same timestamp, stream and text); it goes
// on while lines keep matching without moving past the newest time seen; a replay of just the
// last line is that line twice in a row. Lines that are merely out of order differ in time or
// text and pass. Only exact matches are dropped, never a line merely because it is old (after
// a reopen dockerd may send a rotated file's lines late: they are genuine). The memory grows
// with use up to kRemembered lines (24 KiB), so idle containers cost little.
class ReplayedLineFilter {
 public:
  // True when the line is a replay to drop; otherwise remembers it.
  bool is_replay(TimestampNs time, LogStream stream, std::string_view message);

 private:
  struct Seen {
    TimestampNs time = 0;
    std::uint64_t hash = 0;
    LogStream stream = LogStream::kStdout;
  };
  static constexpr std::size_t kRemembered = 1024;
  std::vector<Seen> recent_;  // a ring once full
  std::size_t next_ = 0;
  std::size_t size_ = 0;
  TimestampNs latest_ = std::numeric_limits<TimestampNs>::min();
  bool replaying_ = false;

  bool seen_recently(TimestampNs time, LogStream stream, std::uint64_t hash) const;
};

}  // namespace lc::docker_input
