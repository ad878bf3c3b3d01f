#include "processors/parse_timestamp/broken_down_time.hpp"

#include <limits>

namespace lc {
namespace {

constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr std::int64_t kSecondsPerDay = 86'400;
// The last second whose nanoseconds fit a TimestampNs (2262-04-11).
constexpr std::int64_t kMaxSeconds = std::numeric_limits<TimestampNs>::max() / kNanosPerSecond - 1;

bool leap_year(std::int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(std::int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && leap_year(year) ? 29 : kDays[month - 1];
}

std::optional<int> hour_of_day(const BrokenDownTime& time) {
  if (!time.hour12) return time.hour <= 23 ? std::optional<int>(time.hour) : std::nullopt;
  if (*time.hour12 < 1 || *time.hour12 > 12) return std::nullopt;
  return *time.hour12 % 12 + (time.pm ? 12 : 0);
}

// Seconds since 1970 of the wall-clock time in `year`, or nullopt when a field is out of range.
std::optional<std::int64_t> local_seconds(const BrokenDownTime& time, std::int64_t year) {
  const auto hour = hour_of_day(time);
  if (!hour || time.minute > 59 || time.second > 60 || time.nanos < 0 ||
      time.nanos >= kNanosPerSecond) {
    return std::nullopt;
  }
  std::int64_t days = 0;
  if (time.day_of_year > 0) {
    if (time.day_of_year > (leap_year(year) ? 366 : 365)) return std::nullopt;
    days = days_from_civil(year, 1, 1) + time.day_of_year - 1;
  } else {
    if (time.month < 1 || time.month > 12 || time.day < 1 ||
        time.day > days_in_month(year, time.month)) {
      return std::nullopt;
    }
    days =
        days_from_civil(year, static_cast<unsigned>(time.month), static_cast<unsigned>(time.day));
  }
  return days * kSecondsPerDay + *hour * 3600 + time.minute * 60 + time.second;
}

std::int64_t year_of(TimestampNs now) {
  // civil_from_days, year only (Howard Hinnant's algorithm).
  const std::int64_t z = now / kNanosPerSecond / kSecondsPerDay + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

std::optional<std::int64_t> utc_seconds(const BrokenDownTime& time, const TimeZoneRule& zone,
                                        std::int64_t year) {
  const auto local = local_seconds(time, year);
  if (!local) return std::nullopt;
  return time.offset_seconds ? *local - *time.offset_seconds : zone.to_utc(*local);
}

}  // namespace

std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2 ? 1 : 0;
  const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
  const auto yoe = static_cast<unsigned>(year - era * 400);
  const unsigned doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

std::optional<TimestampNs> resolve_time(const BrokenDownTime& time, const TimeZoneRule& zone,
                                        TimestampNs now) {
  std::optional<std::int64_t> seconds;
  if (time.epoch_seconds) {
    seconds = *time.epoch_seconds;
  } else if (time.year) {
    seconds = utc_seconds(time, zone, *time.year);
  } else {
    // The latest of next, this and last year (UTC's: the zone's may differ around New Year)
    // that is not more than a day ahead; a 29th of February only exists in some of them.
    const std::int64_t latest = now / kNanosPerSecond + kSecondsPerDay;
    const std::int64_t year = year_of(now);
    for (std::int64_t candidate = year + 1; candidate >= year - 1 && !seconds; --candidate) {
      seconds = utc_seconds(time, zone, candidate);
      if (seconds && *seconds > latest) seconds.reset();
    }
  }
  if (!seconds || *seconds < 0 || *seconds > kMaxSeconds) return std::nullopt;
  const TimestampNs result = *seconds * kNanosPerSecond + time.nanos;
  if (result <= 0) return std::nullopt;  // 0 means "no event time"
  return result;
}

}  // namespace lc
