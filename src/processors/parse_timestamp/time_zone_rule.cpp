#include "processors/parse_timestamp/time_zone_rule.hpp"

#include <date/tz.h>

#include <charconv>
#include <chrono>
#include <exception>

namespace lc {
namespace {

// "+hh:mm", "-hhmm", "+hh": the seconds east of UTC, or nullopt.
std::optional<std::int32_t> parse_offset(std::string_view text) {
  if (text.size() < 3 || (text[0] != '+' && text[0] != '-')) return std::nullopt;
  const int sign = text[0] == '-' ? -1 : 1;
  std::string_view digits = text.substr(1);
  std::string compact;
  for (char c : digits) {
    if (c != ':') compact += c;
  }
  if (compact.size() != 2 && compact.size() != 4) return std::nullopt;
  int hours = 0;
  int minutes = 0;
  const char* begin = compact.data();
  if (std::from_chars(begin, begin + 2, hours).ptr != begin + 2) return std::nullopt;
  if (compact.size() == 4 && std::from_chars(begin + 2, begin + 4, minutes).ptr != begin + 4) {
    return std::nullopt;
  }
  if (hours > 18 || minutes > 59) return std::nullopt;
  return sign * (hours * 3600 + minutes * 60);
}

}  // namespace

std::optional<std::string> TimeZoneRule::parse(std::string_view text, TimeZoneRule& out) {
  out = TimeZoneRule();
  if (text == "UTC" || text == "Z" || text == "GMT") return std::nullopt;
  if (text.starts_with('+') || text.starts_with('-')) {
    const auto offset = parse_offset(text);
    if (!offset)
      return "expected an offset like +02:00 or -0530, got \"" + std::string(text) + "\"";
    out.offset_seconds_ = *offset;
    return std::nullopt;
  }
  try {
    out.zone_ = date::locate_zone(text);
    return std::nullopt;
  } catch (const std::exception&) {
    return "\"" + std::string(text) +
           "\" is not a time zone: expected UTC, an offset like +02:00, or an IANA name like "
           "Europe/Berlin (from /usr/share/zoneinfo: Debian's tzdata)";
  }
}

std::int64_t TimeZoneRule::to_utc(std::int64_t local_seconds) const {
  if (zone_ == nullptr) return local_seconds - offset_seconds_;
  const date::local_seconds local{std::chrono::seconds(local_seconds)};
  const date::local_info info = zone_->get_info(local);
  // Unique: its offset; ambiguous (clocks went back): the first; nonexistent (clocks went
  // forward): the offset before the change.
  return local_seconds - info.first.offset.count();
}

}  // namespace lc
