#include "sinks/common/http_retry_after.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

using std::chrono::milliseconds;

// Wed, 21 Oct 2015 07:28:00 GMT
const auto kDate = std::chrono::system_clock::from_time_t(1445412480);

TEST(HttpRetryAfter, DelaySecondsAreMilliseconds) {
  EXPECT_EQ(parse_retry_after("120", kDate), milliseconds(120'000));
  EXPECT_EQ(parse_retry_after(" 0 ", kDate), milliseconds(0));
  // Capped at a day: no overflow from a huge number.
  EXPECT_EQ(parse_retry_after("99999999999999", kDate), milliseconds(86'400'000));
}

TEST(HttpRetryAfter, HttpDateIsTheTimeLeftUntilIt) {
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", kDate), milliseconds(30'000));
  EXPECT_EQ(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", kDate), milliseconds(0));
  // Far in the future: capped at a day, without overflowing the clock.
  EXPECT_EQ(parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", kDate), milliseconds(86'400'000));
}

TEST(HttpRetryAfter, MalformedOrAbsentIsNothing) {
  for (const char* value : {"", "  ", "-5", "1.5", "12s", "soon", "Wed, 21 Oct 2015 07:28:30",
                            "Wed, 21 Oct 2015 07:28:30 GMT trailing"}) {
    EXPECT_FALSE(parse_retry_after(value, kDate)) << value;
  }
}

}  // namespace
}  // namespace lc
