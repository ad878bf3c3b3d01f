#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_value.hpp"
#include "core/user_regex.hpp"
#include "processors/parse_regex/access_log_reader.hpp"
#include "processors/parse_regex/capture_type.hpp"

namespace lc {

// A compiled pattern whose named captures become a map of typed fields, in the order of the
// captures. Immutable: safe on several threads at once.
class RegexFields {
 public:
  RegexFields(const UserRegex& regex,
              const std::vector<std::pair<std::string, CaptureType>>& types);

  // The captures of the first match in `text` into `out` (a map); a capture that took no part
  // in the match is left out. Returns what is wrong (no match, a capture not of its type).
  std::optional<std::string> parse(std::string_view text, FieldValue& out) const;

 private:
  struct Capture {
    int group;  // RE2's group number
    std::string name;
    CaptureType type;
    std::size_t access_log_capture = 0;  // its AccessLogReader::Capture, with access_log_
  };
  // Each capture's text (nullopt: took no part), in captures_' order; false: no match.
  bool match(std::string_view text, std::vector<std::optional<std::string_view>>& out) const;

  UserRegex regex_;
  std::vector<Capture> captures_;  // by group number
  int groups_ = 0;                 // submatches to ask RE2 for: up to the last named one
  // Set when the pattern is the common or combined preset: read by hand (same captures).
  std::optional<AccessLogReader::Format> access_log_;
};

}  // namespace lc
