#include "inputs/docker/timestamped_message.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace lc::docker_input {
namespace {

TEST(TimestampPrefixParser, SplitsDockersFixedForm) {
  TimestampPrefixParser parser;
  const auto message = parser.split("2026-11-23T05:47:31.612303924Z a\n");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->time, *parse_rfc3339("2026-11-23T05:47:31.612303924Z"));
  EXPECT_EQ(message->time, 1'795'412'851'612'303'924);
  EXPECT_EQ(message->content, "a\n");
}

TEST(TimestampPrefixParser, KeepsEverythingAfterTheFirstSpace) {
  TimestampPrefixParser parser;
  const auto message = parser.split("2026-11-23T05:47:31.612303924Z  two spaces \n");
  ASSERT_TRUE(message);
  EXPECT_EQ(message->content, " two spaces \n");
  const auto empty = parser.split("2026-11-23T05:47:31.612303924Z ");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->content, "");
}

TEST(TimestampPrefixParser, AcceptsOtherRfc3339FormsLikeParseRfc3339) {
  TimestampPrefixParser parser;
  for (const std::string timestamp :
       {"2026-11-23T05:47:31Z", "2026-11-23T05:47:31.6Z", "2026-11-23T05:47:31.612303924+02:00",
        "2026-11-23T05:47:31.612303924-05:30", "2026-11-23T05:47:31.612303Z"}) {
    const std::string text = timestamp + " x";
    const auto message = parser.split(text);
    ASSERT_TRUE(message) << timestamp;
    EXPECT_EQ(message->time, *parse_rfc3339(timestamp)) << timestamp;
    EXPECT_EQ(message->content, "x");
  }
}

TEST(TimestampPrefixParser, RejectsWhatIsNotATimestampAndASpace) {
  TimestampPrefixParser parser;
  EXPECT_FALSE(parser.split(""));
  EXPECT_FALSE(parser.split("hello world\n"));
  EXPECT_FALSE(parser.split("2026-11-23T05:47:31.612303924Z"));     // no space
  EXPECT_FALSE(parser.split("2026-11-23T05:47:31.612303924Zx a"));  // junk before the space
  EXPECT_FALSE(parser.split("2026-13-23T05:47:31.612303924Z a"));   // month 13
  EXPECT_FALSE(parser.split("2026-11-23T05:47:31.61230392xZ a"));   // bad fraction digit
  EXPECT_FALSE(parser.split(" 2026-11-23T05:47:31.612303924Z a"));  // leading space
  EXPECT_FALSE(parser.split("2026-11-23T05:47:31.6123039240000000000000Z a"));  // space too far
}

// int64 nanoseconds end in 2262: later (or pre-1678) years are refused, never overflowed.
TEST(TimestampPrefixParser, RefusesYearsOutsideTheNanosecondRange) {
  TimestampPrefixParser parser;
  EXPECT_FALSE(parser.split("3026-11-23T05:47:31.612303924Z a"));
  EXPECT_FALSE(parser.split("9999-12-31T23:59:59.999999999Z a"));
  EXPECT_FALSE(parser.split("2262-04-11T23:47:16.854775807Z a"));
  EXPECT_FALSE(parser.split("1677-09-21T00:12:43.145224192Z a"));
  const auto latest = parser.split("2261-12-31T23:59:59.999999999Z a");
  ASSERT_TRUE(latest);
  EXPECT_EQ(latest->time, 9'214'646'399'999'999'999);
  const auto earliest = parser.split("1678-01-01T00:00:00.000000000Z a");
  ASSERT_TRUE(earliest);
  EXPECT_EQ(earliest->time, -9'214'560'000'000'000'000);
}

// The cached seconds must never leak into a timestamp with different seconds or a bad one.
TEST(TimestampPrefixParser, CachedSecondsGiveTheSameResultAsAFullParse) {
  TimestampPrefixParser parser;
  std::mt19937_64 random(7);
  TimestampNs time = *parse_rfc3339("2026-12-31T23:59:58.000000000Z");
  for (int i = 0; i < 20000; ++i) {
    time += static_cast<TimestampNs>(random() % 300'000'000);  // crosses seconds, days, years
    const std::string text = format_rfc3339_nano(time);
    ASSERT_EQ(parser.parse(text), parse_rfc3339(text)) << text;
    ASSERT_EQ(parser.parse(text), time) << text;
  }
  ASSERT_TRUE(parser.parse("2027-01-01T00:00:10.000000001Z"));
  EXPECT_FALSE(parser.parse("2027-01-01T00:00:10.00000000aZ"));
  EXPECT_FALSE(parser.parse("2027-01-01T00:00:10.000000001X"));
  EXPECT_EQ(parser.parse("2027-01-01T00:00:10.000000001+01:00"),
            parse_rfc3339("2027-01-01T00:00:10.000000001+01:00"));
  EXPECT_EQ(parser.parse("2027-01-01T00:00:10.999999999Z"),
            parse_rfc3339("2027-01-01T00:00:10.999999999Z"));
}

}  // namespace
}  // namespace lc::docker_input
