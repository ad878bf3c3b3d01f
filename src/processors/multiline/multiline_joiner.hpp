#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/log_record.hpp"
#include "core/timestamp_ranks.hpp"
#include "processors/multiline/multiline_rules.hpp"

namespace lc {
class Counter;
}

namespace lc::multiline {

struct JoinLimits {
  std::size_t max_lines = 500;                    // the group goes out at it, flagged truncated
  std::size_t max_bytes = 1024 * 1024;            // likewise (a longer single line is cut)
  std::chrono::milliseconds flush_timeout{1000};  // an open group is delivered after this quiet
  // Container lines carry dockerd's time: a line more than flush_timeout after the group's
  // last one opens a new group, so that a group cut by the timer is cut the same way when its
  // lines are read again after a restart.
  bool split_on_time_gap = false;
  // Tailed files: a group never spans two files (it is behind one file's saved place only).
  bool split_at_file_change = false;
  // Number index_at_time over the groups (tailed files); a container reader ranks them itself.
  bool renumber = false;
  // A joined record takes its last line's time and index_at_time (the Engine API, where the
  // time is the source position): once delivered, none of its lines is read again.
  bool position_at_last_line = false;
  bool operator==(const JoinLimits&) const = default;
};

// What one processor (or an input's own multiline keys) counts; any may be null.
struct JoinCounters {
  Counter* lines_in = nullptr;     // lines pushed
  Counter* records_out = nullptr;  // records delivered (a join counts once)
  Counter* joined = nullptr;       // records made of more than one line
  Counter* truncated = nullptr;    // records cut at max_lines or max_bytes
};

// How one stream's lines are joined: what a joiner is built from.
struct StreamJoining {
  std::shared_ptr<const MultilineRules> rules;
  JoinLimits limits;
  JoinCounters counters;
};

// Joins the lines of one stream (one container's stdout, or one file) into records per its
// rules (stack traces): a joined record is its lines with '\n' between them, keeps its first
// line's time (unless position_at_last_line), metadata and flags (truncated if any line was),
// and takes the file position of its last line. Memory is bounded by max_lines and max_bytes:
// a line that would pass either is not joined; the group goes out flagged truncated and the
// line goes on as if no group were open (nothing is dropped; a single line longer than
// max_bytes is cut). What a group holds depends on its lines alone (never on when they were
// read), so lines read again after a restart join the same way.
class MultilineJoiner {
 public:
  using Clock = std::chrono::steady_clock;
  // What a pushed line did.
  enum class Took : std::uint8_t {
    kJoined,  // appended to the open group
    kOpened,  // opened a group (the one before it, if any, was delivered)
    kAlone,   // delivered as a record of its own
  };

  MultilineJoiner(std::shared_ptr<const MultilineRules> rules, JoinLimits limits,
                  JoinCounters counters = {});
  explicit MultilineJoiner(const StreamJoining& joining)
      : MultilineJoiner(joining.rules, joining.limits, joining.counters) {}

  // Takes one line; appends to `out` the records it completes (the open group, and the line
  // itself when it is a record of its own), in order.
  Took push(LogRecord line, Clock::time_point now, std::vector<LogRecord>& out);
  // Delivers the open group when no line came for flush_timeout.
  void flush_expired(Clock::time_point now, std::vector<LogRecord>& out);
  // Delivers the open group now (its stream ended).
  void flush(std::vector<LogRecord>& out);

  bool has_pending() const { return pending_.has_value(); }
  const LogRecord* pending() const { return pending_ ? &*pending_ : nullptr; }
  // When flush_expired has something to deliver.
  std::optional<Clock::time_point> deadline() const;
  // The source time of the open group's first and last lines.
  TimestampNs first_line_time() const { return first_time_; }
  TimestampNs last_line_time() const { return last_time_; }
  const JoinLimits& limits() const { return limits_; }

 private:
  void open(LogRecord line, int state, Clock::time_point now);
  // Whether the line can join the open group within max_lines and max_bytes.
  bool fits(const LogRecord& line) const;
  void append(const LogRecord& line);
  void deliver(std::vector<LogRecord>& out);

  std::shared_ptr<const MultilineRules> rules_;
  JoinLimits limits_;
  JoinCounters counters_;
  std::optional<LogRecord> pending_;
  int state_ = kClosed;
  std::size_t lines_ = 0;
  Clock::time_point last_line_{};
  TimestampNs first_time_ = 0;
  TimestampNs last_time_ = 0;
  TimestampRanks ranks_;
};

}  // namespace lc::multiline
