#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_record.hpp"
#include "core/timestamp_ranks.hpp"
#include "core/user_regex.hpp"

namespace lc::file_input {

struct FileInputMetrics;

struct MultilineOptions {
  // A line in which this regex (RE2 syntax) is found starts a new record; the
  // other lines continue the record before them. E.g. "^\d{4}-\d{2}-\d{2}" for lines that
  // start with a date, so that a Java stack trace stays with its message.
  std::string start_pattern;
  // Reverses the test: a line in which the pattern is NOT found starts a record (the pattern
  // then describes continuation lines, e.g. "^[ \t]|^Caused by:").
  bool negate = false;
  std::size_t max_lines = 500;          // lines beyond are dropped; the record is flagged truncated
  std::size_t max_bytes = 1024 * 1024;  // likewise for bytes
  std::chrono::milliseconds flush_timeout{1000};  // a pending record is delivered after this quiet
};

// Cumulative, per joiner (the shared FileInputMetrics get the same increments).
struct MultilineCounters {
  std::uint64_t joined_records = 0;     // records made of more than one line
  std::uint64_t truncated_records = 0;  // records cut at max_lines or max_bytes
};

// Joins the lines of one file into multi-line records (stack traces): a line that does not
// start a record is appended, after a '\n', to the record pending before it. A joined record
// keeps its first line's time and takes the file position of its last line (the place to resume
// after the whole record); a record never spans two files (after a rotation, the new file's
// first line starts a record), so that it is behind one file's saved place only.
// index_at_time is renumbered over the records it emits. Memory is
// bounded by max_lines and max_bytes. Copies share the compiled pattern.
class MultilineJoiner {
 public:
  using Clock = std::chrono::steady_clock;

  // Throws std::invalid_argument when start_pattern is empty or not a valid regex.
  explicit MultilineJoiner(MultilineOptions options, FileInputMetrics* metrics = nullptr);

  // Takes one line; appends to `out` the record it completes, if any.
  void push(LogRecord line, Clock::time_point now, std::vector<LogRecord>& out);
  // Delivers the pending record when no line came for flush_timeout.
  void flush_expired(Clock::time_point now, std::vector<LogRecord>& out);
  // Delivers the pending record now (its file is gone).
  void flush(std::vector<LogRecord>& out);

  // When flush_expired has something to deliver.
  std::optional<Clock::time_point> deadline() const;
  bool has_pending() const { return pending_.has_value(); }
  // The file the pending record's lines were read from (nullopt: none pending).
  std::optional<FileIdentity> pending_file() const;
  const MultilineCounters& counters() const { return counters_; }

 private:
  bool starts_record(std::string_view line) const;
  void begin(LogRecord line, Clock::time_point now);
  void cut_pending();

  MultilineOptions options_;
  UserRegex pattern_;
  FileInputMetrics* metrics_;
  std::optional<LogRecord> pending_;
  std::size_t pending_lines_ = 0;
  bool pending_cut_ = false;  // at a limit: further continuation lines are dropped
  Clock::time_point last_line_{};
  TimestampRanks ranks_;
  MultilineCounters counters_;
};

}  // namespace lc::file_input
