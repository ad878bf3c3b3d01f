#include "processors/parse_timestamp/timestamp_format.hpp"

#include <gtest/gtest.h>

#include "processors/parse_timestamp/broken_down_time.hpp"

namespace lc {
namespace {

// 2026-12-06T20:40:14Z: "now" for times without a year.
constexpr TimestampNs kNow = 1'796'589'614'000'000'000;

std::optional<TimestampNs> parse(std::string_view format_text, std::string_view text,
                                 std::string_view zone_text = "UTC", TimestampNs now = kNow) {
  TimestampFormat format;
  EXPECT_EQ(TimestampFormat::compile(format_text, format), std::nullopt) << format_text;
  TimeZoneRule zone;
  EXPECT_EQ(TimeZoneRule::parse(zone_text, zone), std::nullopt) << zone_text;
  return format.parse(text, zone, now);
}

std::string rfc3339_of(std::optional<TimestampNs> time) {
  return time ? format_rfc3339_nano(*time) : "none";
}

std::string text_of(std::string_view format, std::string_view text, std::string_view zone = "UTC") {
  return rfc3339_of(parse(format, text, zone));
}

std::string problem_of(std::string_view format_text) {
  TimestampFormat format;
  return TimestampFormat::compile(format_text, format).value_or("");
}

TEST(TimestampFormat, Rfc3339WithAndWithoutOffsetsAndFractions) {
  EXPECT_EQ(text_of("rfc3339", "2026-12-06T20:40:14Z"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("rfc3339", "2026-12-06T20:40:14.123456789Z"), "2026-12-06T20:40:14.123456789Z");
  EXPECT_EQ(text_of("rfc3339", "2026-12-06T21:40:14.5+01:00"), "2026-12-06T20:40:14.500000000Z");
  EXPECT_EQ(text_of("rfc3339", "2026-12-06T15:10:14-0530"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("rfc3339", "2026-12-06 20:40:14,123"), "2026-12-06T20:40:14.123000000Z");
  // No offset: the configured zone.
  EXPECT_EQ(text_of("rfc3339", "2026-07-01T12:00:00", "Europe/Berlin"),
            "2026-07-01T10:00:00.000000000Z");
  EXPECT_EQ(text_of("rfc3339", "2026-12-06T20:40:14z"), "2026-12-06T20:40:14.000000000Z");
  for (const char* bad :
       {"2026-12-06", "2026-13-06T20:40:14Z", "2026-02-29T00:00:00Z", "2026-12-06T24:00:00Z",
        "2026-12-06T20:40:14Zjunk", "1969-12-31T23:59:59Z", "2026-12-06X20:40:14Z", ""}) {
    EXPECT_EQ(text_of("rfc3339", bad), "none") << bad;
  }
  EXPECT_EQ(text_of("rfc3339", "2024-02-29T00:00:00Z"), "2024-02-29T00:00:00.000000000Z");
}

TEST(TimestampFormat, UnixUnitsFromTextAndNumbers) {
  EXPECT_EQ(text_of("unix", "1796589614"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("unix", "1796589614.25"), "2026-12-06T20:40:14.250000000Z");
  EXPECT_EQ(text_of("unix_ms", "1796589614123"), "2026-12-06T20:40:14.123000000Z");
  EXPECT_EQ(text_of("unix_us", "1796589614123456"), "2026-12-06T20:40:14.123456000Z");
  EXPECT_EQ(text_of("unix_ns", "1796589614123456789"), "2026-12-06T20:40:14.123456789Z");
  EXPECT_EQ(text_of("unix", "abc"), "none");
  EXPECT_EQ(text_of("unix", "-5"), "none");
  EXPECT_EQ(text_of("unix", "0"), "none");
  EXPECT_EQ(text_of("unix_ns", "99999999999999999999"), "none");  // past 2262
  TimestampFormat format;
  ASSERT_EQ(TimestampFormat::compile("unix_ms", format), std::nullopt);
  const TimeZoneRule utc;
  EXPECT_EQ(rfc3339_of(format.parse_value(FieldValue(std::int64_t{1796589614123}), utc, kNow)),
            "2026-12-06T20:40:14.123000000Z");
  EXPECT_EQ(rfc3339_of(format.parse_value(FieldValue(1796589614123.5), utc, kNow)),
            "2026-12-06T20:40:14.123500000Z");
  EXPECT_EQ(rfc3339_of(format.parse_value(FieldValue(true), utc, kNow)), "none");
  ASSERT_EQ(TimestampFormat::compile("rfc3339", format), std::nullopt);
  EXPECT_EQ(rfc3339_of(format.parse_value(FieldValue(std::int64_t{1796589614}), utc, kNow)),
            "none");  // a number is only a Unix time
}

TEST(TimestampFormat, StrftimeFormatsOfCommonLogs) {
  // nginx / Apache combined log.
  EXPECT_EQ(text_of("%d/%b/%Y:%H:%M:%S %z", "06/Dec/2026:21:40:14 +0100"),
            "2026-12-06T20:40:14.000000000Z");
  // Python logging's default (a comma before milliseconds).
  EXPECT_EQ(text_of("%Y-%m-%d %H:%M:%S", "2026-12-06 20:40:14,987"),
            "2026-12-06T20:40:14.987000000Z");
  EXPECT_EQ(text_of("%Y-%m-%d %H:%M:%S.%f", "2026-12-06 20:40:14.000001"),
            "2026-12-06T20:40:14.000001000Z");
  // Go's log package, a 12-hour clock, a weekday and a month name in full.
  EXPECT_EQ(text_of("%Y/%m/%d %T", "2026/12/06 20:40:14"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%A, %B %e %Y %I:%M %p", "Sunday, December  6 2026 08:40 PM"),
            "2026-12-06T20:40:00.000000000Z");
  EXPECT_EQ(text_of("%I:%M %p %F", "12:05 am 2026-12-06"), "2026-12-06T00:05:00.000000000Z");
  EXPECT_EQ(text_of("%Y-%j %H:%M", "2026-340 20:40"), "2026-12-06T20:40:00.000000000Z");
  EXPECT_EQ(text_of("%s", "1796589614"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%F %T %Z", "2026-12-06 20:40:14 UTC", "+03:00"),
            "2026-12-06T20:40:14.000000000Z");
  // An abbreviation other than UTC/GMT is read over: the configured zone applies.
  EXPECT_EQ(text_of("%F %T %Z", "2026-12-06 21:40:14 CET", "Europe/Paris"),
            "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%d.%m.%Y %H:%M:%S", "6.12.2026 20:40:14"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%d/%b/%Y:%H:%M:%S %z", "06/Dec/2026:21:40:14"), "none");  // offset missing
  EXPECT_EQ(text_of("%d/%b/%Y", "06/Dex/2026"), "none");
  EXPECT_EQ(text_of("%d/%b/%Y", "06/Dec/2026 trailing"), "none");
  EXPECT_EQ(text_of("%d/%b/%Y", "06/Dec/2026  "), "2026-12-06T00:00:00.000000000Z");
}

TEST(TimestampFormat, AYearlessTimeIsNeverADayAhead) {
  // syslog's "Dec  6 20:40:14": this year...
  EXPECT_EQ(text_of("%b %e %H:%M:%S", "Dec  6 20:40:14"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%b %e %T", "Jan  2 10:00:00"), "2026-01-02T10:00:00.000000000Z");
  // ...and a December line read on New Year's Day is last year's.
  const TimestampNs new_year = 1'798'761'600'000'000'000;  // 2027-01-01T00:00:00Z
  EXPECT_EQ(rfc3339_of(parse("%b %e %T", "Dec 31 23:59:58", "UTC", new_year)),
            "2026-12-31T23:59:58.000000000Z");
  // East of UTC, next year's first lines are read before UTC's New Year.
  const TimestampNs tokyo_new_year = new_year - 9 * 3'600'000'000'000 + 10'000'000'000;
  EXPECT_EQ(rfc3339_of(parse("%b %e %T", "Jan  1 00:00:05", "Asia/Tokyo", tokyo_new_year)),
            "2026-12-31T15:00:05.000000000Z");
  // No 29th of February in the year before (2026) or this one: not read.
  EXPECT_EQ(rfc3339_of(parse("%b %e %T", "Feb 29 10:00:00", "UTC", new_year)), "none");
  EXPECT_EQ(rfc3339_of(parse("%b %e %T", "Feb 28 10:00:00", "UTC", new_year)),
            "2026-02-28T10:00:00.000000000Z");
}

TEST(TimestampFormat, APercentSignIsALiteral) {
  EXPECT_EQ(text_of("%F 100%%T %T", "2026-12-06 100%T 20:40:14"), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%F 100%%T %T", "2026-12-06 100%20:40:14 20:40:14"), "none");
}

TEST(TimestampFormat, ZonesAcrossDaylightSavingChanges) {
  // Clocks went back at 03:00 CEST on 2026-10-25: 02:30 happened twice; the first is taken.
  EXPECT_EQ(text_of("%F %T", "2026-10-25 02:30:00", "Europe/Berlin"),
            "2026-10-25T00:30:00.000000000Z");
  // They went forward at 02:00 CET on 2026-03-29: 02:30 never happened; read as CET.
  EXPECT_EQ(text_of("%F %T", "2026-03-29 02:30:00", "Europe/Berlin"),
            "2026-03-29T01:30:00.000000000Z");
  EXPECT_EQ(text_of("%F %T", "2026-12-06 02:10:14", "+05:30"), "2026-12-05T20:40:14.000000000Z");
  EXPECT_EQ(text_of("%F %T", "2026-12-06 15:40:14", "America/New_York"),
            "2026-12-06T20:40:14.000000000Z");
}

TEST(TimestampFormat, BadFormatsAndZonesSayWhy) {
  EXPECT_NE(problem_of("iso").find("is not a format"), std::string::npos);
  EXPECT_NE(problem_of("%Y-%m-%d %Q").find("%Q is not a directive"), std::string::npos);
  EXPECT_NE(problem_of("%H:%M:%S").find("names no date"), std::string::npos);
  EXPECT_NE(problem_of("%Y-%m-%").find("lone %"), std::string::npos);
  TimeZoneRule zone;
  EXPECT_NE(TimeZoneRule::parse("Mars/Olympus", zone).value_or("").find("not a time zone"),
            std::string::npos);
  EXPECT_NE(TimeZoneRule::parse("+25:00", zone).value_or("").find("expected an offset"),
            std::string::npos);
}

TEST(BrokenDownTime, DaysFromCivilMatchesKnownDates) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_from_civil(2000, 3, 1), 11017);
  EXPECT_EQ(days_from_civil(2026, 12, 6), 20793);
  EXPECT_EQ(days_from_civil(1969, 12, 31), -1);
}

}  // namespace
}  // namespace lc
