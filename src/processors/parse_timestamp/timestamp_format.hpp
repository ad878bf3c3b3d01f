#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/field_value.hpp"
#include "core/timestamp.hpp"
#include "processors/parse_timestamp/strftime_pattern.hpp"
#include "processors/parse_timestamp/time_zone_rule.hpp"

namespace lc {

// One of parse_timestamp's `formats`: `rfc3339` (also ISO 8601 with a space and without an
// offset), `unix`, `unix_ms`, `unix_us`, `unix_ns` (numbers, or digits in a string), or a
// strptime-style format.
class TimestampFormat {
 public:
  // A problem says why `text` names no format.
  static std::optional<std::string> compile(std::string_view text, TimestampFormat& out);

  // The time `value` holds in this format, or nullopt. `zone` applies to a time without an
  // offset; `now` gives a time without a year its year.
  std::optional<TimestampNs> parse_value(const FieldValue& value, const TimeZoneRule& zone,
                                         TimestampNs now) const;
  std::optional<TimestampNs> parse(std::string_view text, const TimeZoneRule& zone,
                                   TimestampNs now) const;

 private:
  enum class Kind { kRfc3339, kUnix, kStrftime };
  Kind kind_ = Kind::kRfc3339;
  int unix_digits_ = 0;  // unix: the decimal places of the unit (0 s, 3 ms, 6 µs, 9 ns)
  StrftimePattern pattern_;
};

}  // namespace lc
