#include "processors/parse_timestamp/timestamp_format.hpp"

#include <cmath>
#include <limits>

namespace lc {
namespace {

constexpr std::int64_t kPowersOfTen[] = {1,         10,         100,         1000,
                                         10000,     100000,     1000000,     10000000,
                                         100000000, 1000000000, 10000000000, 100000000000};

// A count of 10^-digits seconds as nanoseconds, or nullopt outside 1970..2262.
std::optional<TimestampNs> from_units(std::int64_t whole, int digits, int fraction_nanos) {
  const std::int64_t scale = kPowersOfTen[9 - digits];
  if (whole <= 0 || whole > std::numeric_limits<TimestampNs>::max() / scale - 1) {
    return std::nullopt;
  }
  // A fraction of the unit, in nanoseconds of the unit (1.5 ms: whole 1, fraction 0.5 ms).
  return whole * scale + fraction_nanos / kPowersOfTen[digits];
}

// "1733520000", "1733520000.123456": a count of the unit, with an optional decimal fraction.
std::optional<TimestampNs> parse_unix_text(std::string_view text, int digits) {
  std::int64_t whole = 0;
  std::size_t i = 0;
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const int digit = text[i] - '0';
    if (whole > (std::numeric_limits<std::int64_t>::max() - digit) / 10) return std::nullopt;
    whole = whole * 10 + digit;
  }
  if (i == 0) return std::nullopt;
  int fraction = 0;  // nanoseconds of one unit
  if (i < text.size() && text[i] == '.') {
    int count = 0;
    for (++i; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i, ++count) {
      if (count < 9) fraction = fraction * 10 + (text[i] - '0');
    }
    if (count == 0) return std::nullopt;
    for (; count < 9; ++count) fraction *= 10;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  if (i != text.size()) return std::nullopt;
  return from_units(whole, digits, fraction);
}

std::optional<TimestampNs> parse_unix_float(double value, int digits) {
  if (!std::isfinite(value) || value <= 0 || value >= 9.2e18 / kPowersOfTen[9 - digits]) {
    return std::nullopt;
  }
  const double whole = std::floor(value);
  const auto fraction = static_cast<int>(std::llround((value - whole) * 1e9));
  return from_units(static_cast<std::int64_t>(whole), digits, std::min(fraction, 999'999'999));
}

// RFC 3339 / ISO 8601: "2026-12-06T20:40:14.123Z", "2026-12-06 20:40:14,123+01:00", and
// without an offset (the zone applies): [with an offset, without] for a separator.
struct Rfc3339Patterns {
  StrftimePattern with_offset;
  StrftimePattern without_offset;
};

Rfc3339Patterns rfc3339_patterns(std::string_view separator) {
  Rfc3339Patterns patterns;
  const std::string date_time = "%Y-%m-%d" + std::string(separator) + "%H:%M:%S";
  StrftimePattern::compile(date_time + "%z", patterns.with_offset);
  StrftimePattern::compile(date_time, patterns.without_offset);
  return patterns;
}

std::optional<TimestampNs> parse_rfc3339_text(std::string_view text, const TimeZoneRule& zone,
                                              TimestampNs now) {
  static const Rfc3339Patterns kWithT = rfc3339_patterns("T");
  static const Rfc3339Patterns kWithSpace = rfc3339_patterns(" ");
  if (text.size() < 19) return std::nullopt;
  const Rfc3339Patterns& patterns = text[10] == ' ' ? kWithSpace : kWithT;
  BrokenDownTime time;
  if (patterns.with_offset.match(text, time) || patterns.without_offset.match(text, time)) {
    return resolve_time(time, zone, now);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> TimestampFormat::compile(std::string_view text, TimestampFormat& out) {
  out = TimestampFormat();
  if (text == "rfc3339" || text == "iso8601") {
    out.kind_ = Kind::kRfc3339;
    return std::nullopt;
  }
  constexpr std::pair<std::string_view, int> kUnixUnits[] = {
      {"unix", 0}, {"unix_ms", 3}, {"unix_us", 6}, {"unix_ns", 9}};
  for (const auto& [name, digits] : kUnixUnits) {
    if (text == name) {
      out.kind_ = Kind::kUnix;
      out.unix_digits_ = digits;
      return std::nullopt;
    }
  }
  if (text.find('%') == std::string_view::npos) {
    return "\"" + std::string(text) +
           "\" is not a format: expected rfc3339, unix, unix_ms, unix_us, unix_ns or a "
           "strptime-style format with % directives";
  }
  out.kind_ = Kind::kStrftime;
  if (auto problem = StrftimePattern::compile(text, out.pattern_)) {
    return "\"" + std::string(text) + "\": " + *problem;
  }
  return std::nullopt;
}

std::optional<TimestampNs> TimestampFormat::parse_value(const FieldValue& value,
                                                        const TimeZoneRule& zone,
                                                        TimestampNs now) const {
  switch (value.type()) {
    case FieldValue::Type::kString:
      return parse(value.as_string(), zone, now);
    case FieldValue::Type::kInt:
      if (kind_ != Kind::kUnix) return std::nullopt;
      return from_units(value.as_int(), unix_digits_, 0);
    case FieldValue::Type::kFloat:
      if (kind_ != Kind::kUnix) return std::nullopt;
      return parse_unix_float(value.as_float(), unix_digits_);
    default:
      return std::nullopt;
  }
}

std::optional<TimestampNs> TimestampFormat::parse(std::string_view text, const TimeZoneRule& zone,
                                                  TimestampNs now) const {
  switch (kind_) {
    case Kind::kUnix:
      return parse_unix_text(text, unix_digits_);
    case Kind::kRfc3339:
      return parse_rfc3339_text(text, zone, now);
    case Kind::kStrftime:
      break;
  }
  BrokenDownTime time;
  if (!pattern_.match(text, time)) return std::nullopt;
  return resolve_time(time, zone, now);
}

}  // namespace lc
