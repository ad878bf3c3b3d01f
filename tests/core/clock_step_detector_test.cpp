#include "core/clock_step_detector.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

// Both clocks are the test's: it moves them as a VM resume or chrony would.
class ClockStepDetectorTest : public ::testing::Test {
 protected:
  std::int64_t wall_ = 1'700'000'000 * kSecond;
  std::int64_t monotonic_ = 5 * kSecond;
  ClockStepDetector detector_{kSecond, [this] { return wall_; }, [this] { return monotonic_; }};

  void tick(std::int64_t ns) {
    wall_ += ns;
    monotonic_ += ns;
  }
};

TEST_F(ClockStepDetectorTest, ClocksAdvancingTogetherAreNoStep) {
  tick(5 * kSecond);
  EXPECT_EQ(detector_.check().step, ClockStepDetector::Step::kNone);
  wall_ += kSecond / 2;  // a slew or a small correction
  tick(5 * kSecond);
  EXPECT_EQ(detector_.check().step, ClockStepDetector::Step::kNone);
}

TEST_F(ClockStepDetectorTest, AWallClockSetBackIsABackwardStepOnce) {
  tick(5 * kSecond);
  wall_ -= 30 * kSecond;
  const auto reading = detector_.check();
  EXPECT_EQ(reading.step, ClockStepDetector::Step::kBackward);
  EXPECT_EQ(reading.by_ns, 30 * kSecond);
  tick(5 * kSecond);
  EXPECT_EQ(detector_.check().step, ClockStepDetector::Step::kNone);
}

TEST_F(ClockStepDetectorTest, AWallClockSetForwardIsAForwardStep) {
  wall_ += 3600 * kSecond;
  const auto reading = detector_.check();
  EXPECT_EQ(reading.step, ClockStepDetector::Step::kForward);
  EXPECT_EQ(reading.by_ns, 3600 * kSecond);
}

}  // namespace
}  // namespace lc
