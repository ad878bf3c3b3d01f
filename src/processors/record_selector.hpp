#pragma once

#include <atomic>
#include <boost/regex.hpp>
#include <cstdint>
#include <optional>

#include "config/agent_config.hpp"
#include "core/log_record.hpp"

namespace lc {

// Says whether a record matches a RecordSelectorConfig (docs/configuration.md, "Record
// selectors"): every key set must match, a list matches when any item does. Container keys
// (container_names, images) never match a file's record, and `files` never matches a
// container's. Immutable once built: safe to use from several threads at once.
class RecordSelector {
 public:
  // Throws std::invalid_argument when `message` is not a valid regex (the config loader has
  // already said so with the file and line).
  explicit RecordSelector(const RecordSelectorConfig& config);

  bool matches(const LogRecord& record) const {
    return matches_source(record) && (!message_ || matches_message(record));
  }
  // Everything but the message: the same for all the records of one source and stream.
  bool matches_source(const LogRecord& record) const;
  // Whether matches_source() must give `a` and `b` the same answer: same source and stream.
  static bool same_source(const LogRecord& a, const LogRecord& b) {
    return a.stream == b.stream && a.container == b.container && a.file_source == b.file_source;
  }
  // Whether the answer depends on the message (a router cannot reuse it across records).
  bool looks_at_message() const { return message_.has_value(); }
  bool matches_everything() const { return everything_; }

  // Message matches the regex engine gave up on (too complex for its limits), taken as not
  // matching; process-wide (log_capturer_selector_regex_failures_total).
  static std::atomic<std::uint64_t>& regex_failures();

 private:
  bool matches_message(const LogRecord& record) const;
  // Whether the record's input is one that sources: names.
  bool from_named_input(const LogRecord& record) const;

  RecordSelectorConfig config_;
  bool want_docker_ = true;
  bool want_file_ = true;
  std::vector<std::string> input_names_;  // sources: naming inputs rather than types
  bool want_stdout_ = true;
  bool want_stderr_ = true;
  std::optional<boost::regex> message_;
  bool everything_ = true;
};

}  // namespace lc
