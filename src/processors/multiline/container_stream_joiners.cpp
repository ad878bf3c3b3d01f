#include "processors/multiline/container_stream_joiners.hpp"

#include <algorithm>

namespace lc::multiline {

namespace {

TimestampNs wall_clock_now() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ContainerStreamJoiners::ContainerStreamJoiners(
    const std::array<std::optional<StreamJoining>, 2>& joining, GroupPosition position) {
  for (std::size_t i = 0; i < joiners_.size(); ++i) {
    if (!joining[i]) continue;
    StreamJoining stream = *joining[i];
    stream.limits.split_on_time_gap = true;  // dockerd's times: a re-read splits the same way
    stream.limits.position_at_last_line = position == GroupPosition::kLastLine;
    joiners_[i].emplace(stream);
  }
}

void ContainerStreamJoiners::flush_passed_by(LogStream stream, TimestampNs time,
                                             std::vector<LogRecord>& out) {
  auto& other = joiners_[stream != LogStream::kStderr];
  if (!other || !other->has_pending()) return;
  if (time > other->last_line_time() + flush_wait(*other)) other->flush(out);
}

std::optional<std::chrono::steady_clock::time_point> ContainerStreamJoiners::flush_deadline()
    const {
  const auto now = std::chrono::steady_clock::now();
  const TimestampNs wall = wall_clock_now();
  std::optional<std::chrono::steady_clock::time_point> earliest;
  for (const auto& joiner : joiners_) {
    const auto due = joiner ? joiner->deadline() : std::nullopt;
    if (!due) continue;
    // The later of the timer and dockerd's clock passing the timeout (see flush_expired).
    const auto by_clock = now + std::chrono::nanoseconds(std::max<TimestampNs>(
                                    0, joiner->last_line_time() + flush_wait(*joiner) - wall));
    const auto at = std::min(std::max(*due + kFlushMargin, by_clock), *due + kClockStepGrace);
    if (!earliest || at < *earliest) earliest = at;
  }
  return earliest;
}

void ContainerStreamJoiners::flush_expired(LogStream stream, std::vector<LogRecord>& out) {
  MultilineJoiner* joiner = of(stream);
  const auto due = joiner != nullptr ? joiner->deadline() : std::nullopt;
  const auto now = std::chrono::steady_clock::now();
  if (!due || now < *due + kFlushMargin) return;
  // dockerd stamps a line before it writes it: only once its clock is past the timeout too can
  // no line that would still have joined come (else a re-read could join differently). A clock
  // stepped back waits kClockStepGrace at most.
  if (wall_clock_now() < joiner->last_line_time() + flush_wait(*joiner) &&
      now < *due + kClockStepGrace) {
    return;
  }
  joiner->flush(out);
}

void ContainerStreamJoiners::flush(std::vector<LogRecord>& out) {
  for (auto& joiner : joiners_) {
    if (joiner) joiner->flush(out);
  }
}

}  // namespace lc::multiline
