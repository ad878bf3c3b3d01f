#include "config/duration_text.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

using std::chrono::milliseconds;

TEST(DurationText, ParsesEveryUnit) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("1s"), milliseconds(1'000));
  EXPECT_EQ(parse_duration("90s"), milliseconds(90'000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300'000));
  EXPECT_EQ(parse_duration("1h"), milliseconds(3'600'000));
}

TEST(DurationText, BareIntegerIsMilliseconds) {
  EXPECT_EQ(parse_duration("1500"), milliseconds(1'500));
  EXPECT_EQ(parse_duration("0"), milliseconds(0));
}

TEST(DurationText, ParsesCompounds) {
  EXPECT_EQ(parse_duration("1m30s"), milliseconds(90'000));
  EXPECT_EQ(parse_duration("1h2m3s4ms"), milliseconds(3'723'004));
}

TEST(DurationText, RejectsMalformedText) {
  for (const char* bad : {"", "s", "-5s", "-5", "5x", "5 s", "1.5s", "5sec", "1m30", "ms", " 5s",
                          "5s ", "+5s", "5S", "1e3", "0x10"}) {
    EXPECT_FALSE(parse_duration(bad).has_value()) << "'" << bad << "'";
  }
}

TEST(DurationText, RejectsOverflow) {
  EXPECT_FALSE(parse_duration("9999999999999999999").has_value());
  EXPECT_FALSE(parse_duration("9999999999999999h").has_value());
  EXPECT_FALSE(parse_duration("2562047788015h2562047788015h").has_value());
}

TEST(DurationText, FormatsShortestExactForm) {
  EXPECT_EQ(format_duration(milliseconds(250)), "250ms");
  EXPECT_EQ(format_duration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(format_duration(milliseconds(300'000)), "5m");
  EXPECT_EQ(format_duration(milliseconds(3'600'000)), "1h");
  EXPECT_EQ(format_duration(milliseconds(3'723'004)), "1h2m3s4ms");
  EXPECT_EQ(format_duration(milliseconds(0)), "0ms");
}

TEST(DurationText, FormatRoundTrips) {
  for (long long ms : {1LL, 999LL, 1'000LL, 61'001LL, 86'400'000LL, 123'456'789LL}) {
    EXPECT_EQ(parse_duration(format_duration(milliseconds(ms))), milliseconds(ms)) << ms;
  }
}

}  // namespace
}  // namespace lc
