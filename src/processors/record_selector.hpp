#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/agent_config.hpp"
#include "core/field_path.hpp"
#include "core/log_record.hpp"
#include "core/user_regex.hpp"

namespace lc {

// Says whether a record matches a RecordSelectorConfig (docs/configuration.md, "Record
// selectors"): every key set must match, a list matches when any item does. Container keys
// (container_names, images) never match a file's record, and `files` never matches a
// container's. Immutable once built: safe to use from several threads at once.
class RecordSelector {
 public:
  // Throws std::invalid_argument when `message` is not a valid regex or a `fields` key not a
  // path (the config loader has already said so with the file and line).
  explicit RecordSelector(const RecordSelectorConfig& config);

  bool matches(const LogRecord& record) const {
    return matches_source(record) && (!message_ || message_->found_in(record.message)) &&
           matches_fields(record);
  }
  // Everything but the message: the same for all the records of one source and stream.
  bool matches_source(const LogRecord& record) const;
  // Whether matches_source() must give `a` and `b` the same answer: same source and stream.
  static bool same_source(const LogRecord& a, const LogRecord& b) {
    return a.stream == b.stream && a.container == b.container && a.file_source == b.file_source;
  }
  // Whether the answer depends on the message or the fields, not the source alone (a router
  // cannot reuse it across records).
  bool looks_at_record() const { return message_.has_value() || !fields_.empty(); }
  bool matches_everything() const { return everything_; }

 private:
  struct FieldCondition {
    FieldPath path;
    std::vector<std::string> values;
  };
  bool matches_fields(const LogRecord& record) const;
  // Whether the record's input is one that sources: names.
  bool from_named_input(const LogRecord& record) const;

  RecordSelectorConfig config_;
  bool want_docker_ = true;
  bool want_file_ = true;
  std::vector<std::string> input_names_;  // sources: naming inputs rather than types
  bool want_stdout_ = true;
  bool want_stderr_ = true;
  std::optional<UserRegex> message_;
  std::vector<FieldCondition> fields_;
  bool everything_ = true;
};

}  // namespace lc
