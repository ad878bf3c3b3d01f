#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace date {
class time_zone;
}

namespace lc {

// The time zone of a timestamp that does not state its offset: UTC, a fixed offset (`+02:00`),
// or a zone of the IANA database (`Europe/Berlin`, read from /usr/share/zoneinfo by Howard
// Hinnant's date library, since libstdc++ 12 has no std::chrono::tzdb).
class TimeZoneRule {
 public:
  // UTC.
  TimeZoneRule() = default;

  // Reads `text`; a problem says why it names no zone.
  static std::optional<std::string> parse(std::string_view text, TimeZoneRule& out);

  // Seconds since the epoch of the wall-clock time `local_seconds` (seconds since 1970-01-01
  // 00:00 on that zone's clocks). A time repeated when clocks go back is read as the first;
  // a time skipped when they go forward, as if the clocks had not moved yet.
  std::int64_t to_utc(std::int64_t local_seconds) const;

 private:
  const date::time_zone* zone_ = nullptr;  // owned by the library's database, for ever
  std::int32_t offset_seconds_ = 0;        // when zone_ is null
};

}  // namespace lc
