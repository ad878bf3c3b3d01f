#pragma once

#include <cstdint>
#include <optional>

#include "core/timestamp.hpp"
#include "processors/parse_timestamp/time_zone_rule.hpp"

namespace lc {

// A time as a format reads it, field by field, before it is a point in time.
struct BrokenDownTime {
  std::optional<int> year;  // none: the format has no year (syslog's "Dec  6 20:40:14")
  int month = 1;
  int day = 1;
  int day_of_year = 0;  // 1-366 when read (%j), instead of month and day
  int hour = 0;
  int minute = 0;
  int second = 0;  // 60 for a leap second
  int nanos = 0;
  std::optional<int> hour12;  // %I, until %p says AM or PM
  bool pm = false;
  std::optional<std::int32_t> offset_seconds;  // stated by the text: wins over the zone
  std::optional<std::int64_t> epoch_seconds;   // %s: the whole time
};

// The point in time `time` names: its own offset, else `zone`'s. A time without a year takes
// the latest year that puts it at most a day ahead of `now` (a December line read in January
// is last year's; a "Jan  1" line read at 15:00 UTC on December 31st in Tokyo, next year's).
// nullopt when a field is out of range (a 31st of February, hour 25) or the time is not between
// 1970 and 2262 (what nanoseconds since the epoch hold).
std::optional<TimestampNs> resolve_time(const BrokenDownTime& time, const TimeZoneRule& zone,
                                        TimestampNs now);

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

}  // namespace lc
