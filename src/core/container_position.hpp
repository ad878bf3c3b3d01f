#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "core/timestamp.hpp"

namespace lc {

enum class LogStream : std::uint8_t { kStdout = 1, kStderr = 2 };

inline const char* to_string(LogStream stream) {
  return stream == LogStream::kStderr ? "stderr" : "stdout";
}

// Where one stream of a container has been delivered up to. Docker has no offsets in its API,
// only timestamps, and several lines can share one timestamp: so the position is the timestamp
// of the last delivered record plus how many records of this stream carrying exactly that
// timestamp were delivered. dockerd stamps each stream in its own goroutine, in order: within a
// stream (not across streams) a later record never carries an earlier time.
struct StreamPosition {
  TimestampNs time = 0;
  std::uint32_t count_at_time = 0;

  // Nothing of this stream delivered yet (a start_at: now floor is not a delivery either).
  bool empty() const { return count_at_time == 0; }

  // True when the record stamped `record_time`, being the `index_at_time`-th (0-based) record
  // of this stream with that timestamp, is at or before this position: already delivered.
  bool covers(TimestampNs record_time, std::uint32_t index_at_time) const {
    return record_time < time || (record_time == time && index_at_time < count_at_time);
  }

  // The position just after that record.
  static StreamPosition after(TimestampNs record_time, std::uint32_t index_at_time) {
    return {record_time, index_at_time + 1};
  }

  static StreamPosition later(const StreamPosition& a, const StreamPosition& b) {
    if (a.time != b.time) return a.time > b.time ? a : b;
    return a.count_at_time >= b.count_at_time ? a : b;
  }

  bool operator==(const StreamPosition&) const = default;
};

// Where a container's log has been delivered up to: one position per stream, because the two
// streams' stamps interleave out of order in the log (a stderr line written just after a
// stdout line may carry an earlier time), so no single high-water mark can say what is
// delivered without dropping lines of the other stream.
struct ContainerPosition {
  StreamPosition out;  // stdout
  StreamPosition err;  // stderr

  constexpr ContainerPosition() = default;
  // A source with one stream (a tailed file) has only `out`.
  constexpr ContainerPosition(StreamPosition stdout_at, StreamPosition stderr_at = {})
      : out(stdout_at), err(stderr_at) {}

  // Both streams at one place: a checkpoint of format 1 (one mark for the container), or a
  // tailed file (one stream).
  static ContainerPosition both(StreamPosition at) { return {at, at}; }

  const StreamPosition& of(LogStream stream) const {
    return stream == LogStream::kStderr ? err : out;
  }
  StreamPosition& of(LogStream stream) { return stream == LogStream::kStderr ? err : out; }

  bool empty() const { return out.empty() && err.empty(); }

  bool covers(LogStream stream, TimestampNs record_time, std::uint32_t index_at_time) const {
    return of(stream).covers(record_time, index_at_time);
  }

  // Moves the record's stream past it (never back: a resume may re-read older records).
  void advance(LogStream stream, TimestampNs record_time, std::uint32_t index_at_time) {
    StreamPosition& at = of(stream);
    at = StreamPosition::later(at, StreamPosition::after(record_time, index_at_time));
  }

  // Each stream's later position.
  static ContainerPosition later(const ContainerPosition& a, const ContainerPosition& b) {
    return {StreamPosition::later(a.out, b.out), StreamPosition::later(a.err, b.err)};
  }

  // The earliest timestamp an undelivered record may carry: the API's since= for a resume. A
  // stream with nothing delivered may have been written just after the other stream's last
  // delivered line with a slightly earlier stamp: it is read from `unseen_stream_margin` before.
  // 0 (read from the start) when nothing at all was delivered.
  TimestampNs resume_since(TimestampNs unseen_stream_margin) const {
    if (out.empty() && err.empty()) return 0;
    if (out.empty() || err.empty()) {
      const TimestampNs seen = out.empty() ? err.time : out.time;
      return std::max<TimestampNs>(0, seen - unseen_stream_margin);
    }
    return std::min(out.time, err.time);
  }

  // The latest time delivered on either stream, for display.
  TimestampNs latest_time() const { return std::max(out.time, err.time); }

  bool operator==(const ContainerPosition&) const = default;
};

// Drops, after a resume, the records a position proves delivered: per stream, only a prefix
// (each stream's stamps only grow), so a stream stops being filtered at its first record the
// position does not cover.
class ResumeFilter {
 public:
  ResumeFilter() = default;
  explicit ResumeFilter(const ContainerPosition& delivered)
      : delivered_(delivered), active_{covers_any(delivered.out), covers_any(delivered.err)} {}

  // For a read that starts inside the log (a follow from its end): every record the position
  // covers is dropped, not only each stream's prefix (a rotation's re-sent lines may reach
  // back before the read's start).
  void drop_everything_covered() { prefix_only_ = false; }

  const ContainerPosition& delivered() const { return delivered_; }
  bool active() const { return active_[0] || active_[1]; }
  // True when the record is delivered already (to drop).
  bool drops(LogStream stream, TimestampNs time, std::uint32_t index_at_time) {
    if (!prefix_only_) return delivered_.covers(stream, time, index_at_time);
    bool& active = active_[stream == LogStream::kStderr];
    if (!active) return false;
    if (delivered_.covers(stream, time, index_at_time)) return true;
    active = false;
    return false;
  }

 private:
  static bool covers_any(const StreamPosition& at) { return at.time != 0 || at.count_at_time != 0; }

  ContainerPosition delivered_;
  std::array<bool, 2> active_{false, false};  // stdout, stderr
  bool prefix_only_ = true;
};

}  // namespace lc
