#include "core/backoff.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace lc {
namespace {

TEST(Backoff, GrowsExponentiallyWithinTheCap) {
  Backoff backoff(std::chrono::milliseconds(100), std::chrono::milliseconds(1000));
  for (int attempt = 0; attempt < 20; ++attempt) {
    const auto ceiling = std::min<long long>(1000, 100LL << std::min(attempt, 30));
    const auto delay = backoff.next();
    EXPECT_GE(delay.count(), 0);
    EXPECT_LE(delay.count(), ceiling) << attempt;
  }
  EXPECT_EQ(backoff.attempts(), 20u);
  backoff.reset();
  EXPECT_EQ(backoff.attempts(), 0u);
  EXPECT_LE(backoff.next().count(), 100);
}

TEST(Backoff, FullJitterSpreadsDelays) {
  Backoff backoff(std::chrono::milliseconds(1000), std::chrono::milliseconds(1000));
  long long low = 1000, high = 0;
  for (int i = 0; i < 200; ++i) {
    const long long delay = backoff.next().count();
    low = std::min(low, delay);
    high = std::max(high, delay);
  }
  EXPECT_LT(low, 300);
  EXPECT_GT(high, 700);
}

}  // namespace
}  // namespace lc
