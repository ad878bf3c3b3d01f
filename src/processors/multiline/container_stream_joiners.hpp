#pragma once

#include <array>
#include <chrono>
#include <optional>
#include <vector>

#include "core/container_position.hpp"
#include "core/log_record.hpp"
#include "processors/multiline/multiline_joiner.hpp"

namespace lc::multiline {

// The joiners of one container's two streams (stdout and stderr never mix), with the rules
// both container readers (json-file and Engine API) share for when an open group is over:
// dockerd's stamps decide, not when the agent happened to read, so that lines read again after
// a restart are joined the same way.
class ContainerStreamJoiners {
 public:
  // A timer flush waits this much past flush_timeout, for dockerd's stamp-to-write delay.
  static constexpr std::chrono::milliseconds kFlushMargin{250};
  // A wall clock stepped back delays a timer flush by at most this much.
  static constexpr std::chrono::seconds kClockStepGrace{30};

  // Which line's source position a joined record takes.
  enum class GroupPosition : std::uint8_t {
    kFirstLine,  // json-file: positions are file places; the record keeps its first line's time
    kLastLine,   // Engine API: the time is the position, so the group must be behind its last
  };

  ContainerStreamJoiners() = default;
  // `joining`: stdout's, stderr's; none joins nothing on that stream.
  ContainerStreamJoiners(const std::array<std::optional<StreamJoining>, 2>& joining,
                         GroupPosition position);

  bool any() const { return joiners_[0].has_value() || joiners_[1].has_value(); }
  MultilineJoiner* of(LogStream stream) {
    auto& joiner = joiners_[stream == LogStream::kStderr];
    return joiner ? &*joiner : nullptr;
  }
  const MultilineJoiner* of(LogStream stream) const {
    const auto& joiner = joiners_[stream == LogStream::kStderr];
    return joiner ? &*joiner : nullptr;
  }

  // A line of `stream` stamped `time`: delivers the other stream's open group when the stamp
  // proves none of its lines can still come within its flush_timeout (as the timer would
  // decide, but the same on a re-read).
  void flush_passed_by(LogStream stream, TimestampNs time, std::vector<LogRecord>& out);
  // Delivers the stream's group if its flush_timeout has passed, by the steady clock and by
  // dockerd's. Per stream: a reader placing each record must do so before the other stream's
  // group leaves its joiner (that group still holds the resume place back).
  void flush_expired(LogStream stream, std::vector<LogRecord>& out);
  void flush_expired(std::vector<LogRecord>& out) {
    flush_expired(LogStream::kStdout, out);
    flush_expired(LogStream::kStderr, out);
  }
  // When flush_expired() may have something to deliver; nullopt while no group is open.
  std::optional<std::chrono::steady_clock::time_point> flush_deadline() const;
  // Delivers both streams' open groups now (the container is gone).
  void flush(std::vector<LogRecord>& out);

 private:
  // In dockerd's time, how long after a group's last line no line can join it any more.
  static TimestampNs flush_wait(const MultilineJoiner& joiner) {
    return std::chrono::nanoseconds(joiner.limits().flush_timeout + kFlushMargin).count();
  }

  std::array<std::optional<MultilineJoiner>, 2> joiners_;  // stdout, stderr
};

}  // namespace lc::multiline
