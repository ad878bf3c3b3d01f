// Blocked time counts waits still going on, and only waits.
#include "pipeline/blocked_time.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace lc
