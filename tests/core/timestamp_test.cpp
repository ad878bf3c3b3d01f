#include "core/timestamp.hpp"

#include <gtest/gtest.h>

#include <random>

namespace lc {
namespace {

TEST(Timestamp, ParsesDockersForm) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00.000000000Z"), 0);
  EXPECT_EQ(parse_rfc3339("2026-11-23T05:47:31.612303924Z"), 1795412851612303924LL);
  EXPECT_EQ(parse_rfc3339("2026-11-23T05:47:31Z"), 1795412851000000000LL);
  EXPECT_EQ(parse_rfc3339("2026-11-23T05:47:31.5Z"), 1795412851500000000LL);
}

TEST(Timestamp, AppliesNumericOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-11-23T07:47:31.612303924+02:00"), 1795412851612303924LL);
  EXPECT_EQ(parse_rfc3339("2026-11-23T03:17:31.612303924-02:30"), 1795412851612303924LL);
}

TEST(Timestamp, RejectsMalformedText) {
  for (const char* bad : {"", "2026", "2026-11-23", "2026-11-23T05:47:31", "2026-13-23T05:47:31Z",
                          "2026-11-23T25:47:31Z", "2026-11-23T05:47:31.Z", "2026-11-23T05:47:31Zx",
                          "2026-11-23T05:47:31+0200", "x026-11-23T05:47:31Z"}) {
    EXPECT_FALSE(parse_rfc3339(bad).has_value()) << bad;
  }
}

TEST(Timestamp, RejectsYearsOutsideInt64Nanoseconds) {
  EXPECT_FALSE(parse_rfc3339("3026-11-23T05:47:31Z").has_value());
  EXPECT_FALSE(parse_rfc3339("1600-01-01T00:00:00Z").has_value());
  EXPECT_TRUE(parse_rfc3339("2261-12-31T23:59:59.999999999Z").has_value());
  EXPECT_TRUE(parse_rfc3339("1678-01-01T00:00:00Z").has_value());
}

TEST(Timestamp, FormatsNineFractionDigits) {
  EXPECT_EQ(format_rfc3339_nano(0), "1970-01-01T00:00:00.000000000Z");
  EXPECT_EQ(format_rfc3339_nano(1795412851000000001LL), "2026-11-23T05:47:31.000000001Z");
  EXPECT_EQ(format_rfc3339_nano(-1), "1969-12-31T23:59:59.999999999Z");
}

TEST(Timestamp, FormatAndParseRoundTrip) {
  std::mt19937_64 random(42);
  std::uniform_int_distribution<std::int64_t> pick(-5'000'000'000'000'000'000LL,
                                                   9'000'000'000'000'000'000LL);
  for (int i = 0; i < 20000; ++i) {
    const TimestampNs time = pick(random);
    ASSERT_EQ(parse_rfc3339(format_rfc3339_nano(time)), time) << format_rfc3339_nano(time);
  }
}

TEST(Timestamp, DockerSinceForm) {
  EXPECT_EQ(format_docker_since(1795412851000000001LL), "1795412851.000000001");
  EXPECT_EQ(format_docker_since(0), "0.000000000");
}

}  // namespace
}  // namespace lc

namespace lc {
namespace {

TEST(Rfc3339Parser, GivesWhatParseRfc3339GivesForEveryShapeAndOrder) {
  const std::vector<std::string> texts = {
      "2026-11-23T09:45:51.123456789Z",
      "2026-11-23T09:45:51.1Z",
      "2026-11-23T09:45:51.12Z",
      "2026-11-23T09:45:51Z",
      "2026-11-23T09:45:51.000000001Z",
      "2026-11-23T09:45:52.5Z",
      "2026-11-23T09:45:51.999999999Z",
      "2026-11-23T09:45:51.5+01:00",
      "2026-11-23T09:45:51.12x4Z",
      "2026-11-23T09:45:51.1234567890Z",
      "2026-11-23T09:45:51.Z",
      "2026-11-24T00:00:00.25Z",
      "1969-12-31T23:59:59.5Z",
      "2026-11-24T00:00:00.26Z",
      "garbage",
      "2026-11-24T00:00:00.260000000Z",
  };
  Rfc3339Parser parser;
  for (int round = 0; round < 2; ++round) {
    for (const std::string& text : texts) {
      EXPECT_EQ(parser.parse(text), parse_rfc3339(text)) << text;
    }
  }
}

TEST(AppendRfc3339Nano, SameSecondAgainFormatsTheSame) {
  for (const TimestampNs time :
       {TimestampNs{1'700'000'000'123'456'789}, TimestampNs{1'700'000'000'000'000'001},
        TimestampNs{1'700'000'001'000'000'000}, TimestampNs{-1}}) {
    std::string first, again;
    append_rfc3339_nano(first, time);
    append_rfc3339_nano(again, time);
    EXPECT_EQ(first, again);
    EXPECT_EQ(parse_rfc3339(first), time);
  }
}

}  // namespace
}  // namespace lc
