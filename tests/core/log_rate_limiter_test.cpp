#include "core/log_rate_limiter.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

using namespace std::chrono_literals;

TEST(LogRateLimiter, LetsOneReportThroughPerIntervalAndCountsTheRest) {
  LogRateLimiter limiter(10s);
  const auto start = LogRateLimiter::Clock::time_point{} + 1h;
  EXPECT_EQ(limiter.admit(start), 0u);
  EXPECT_EQ(limiter.admit(start + 1s), std::nullopt);
  EXPECT_EQ(limiter.admit(start + 9s), std::nullopt);
  EXPECT_EQ(limiter.admit(start + 10s), 2u);  // two held back since the last report
  EXPECT_EQ(limiter.admit(start + 11s), std::nullopt);
  EXPECT_EQ(limiter.admit(start + 30s), 1u);
  EXPECT_EQ(limiter.admit(start + 60s), 0u);
}

}  // namespace
}  // namespace lc
