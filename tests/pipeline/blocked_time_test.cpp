// Blocked time counts waits still going on, and only waits.
#include "pipeline/blocked_time.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <optional>
#include <thread>

namespace lc {
namespace {

using namespace std::chrono_literals;

TEST(BlockedTime, AWaitStillGoingOnIsCountedSoFar) {
  BlockedTime blocked;
  EXPECT_EQ(blocked.seconds(), 0.0);
  std::optional<BlockedTime::Wait> wait;
  wait.emplace(blocked);
  std::this_thread::sleep_for(30ms);
  const double during = blocked.seconds();
  EXPECT_GE(during, 0.025);
  std::this_thread::sleep_for(10ms);
  EXPECT_GT(blocked.seconds(), during);  // grows while the wait goes on
  wait.reset();
  const double after = blocked.seconds();
  std::this_thread::sleep_for(10ms);
  EXPECT_EQ(blocked.seconds(), after);  // and stops when it ends
}

TEST(BlockedTime, ConcurrentWaitsAreSummed) {
  BlockedTime blocked;
  {
    const BlockedTime::Wait first(blocked);
    const BlockedTime::Wait second(blocked);
    std::this_thread::sleep_for(20ms);
  }
  EXPECT_GE(blocked.seconds(), 0.039);
}

// 1000 inputs waiting 200 days after boot: waiters x steady-clock nanoseconds is ~1.7e19, past
// int64 (signed overflow, caught by the sanitizer build); the ongoing sum itself is small.
TEST(BlockedTime, ManyWaitsAfterALongUptimeAreSummedExactly) {
  constexpr std::int64_t kUptimeNs = 200LL * 24 * 3600 * 1'000'000'000;
  std::int64_t now_ns = kUptimeNs;
  BlockedTime blocked([&now_ns] { return now_ns; });
  std::deque<BlockedTime::Wait> waits;
  for (int i = 0; i < 1000; ++i) waits.emplace_back(blocked);
  now_ns += 1'000'000'000;
  EXPECT_DOUBLE_EQ(blocked.seconds(), 1000.0);
  while (waits.size() > 400) waits.pop_back();
  now_ns += 1'000'000'000;
  EXPECT_DOUBLE_EQ(blocked.seconds(), 600.0 + 400.0 * 2);
}

}  // namespace
}  // namespace lc
