#include "sinks/common/sink_hold_policy.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

using Class = HttpResponseClass;

TEST(SinkHoldPolicy, AnAuthorizationRefusalHoldsAtOnceUntilADelivery) {
  SinkHoldPolicy policy(5);
  EXPECT_EQ(policy.observe(Class::kUnauthorized), SinkHoldCause::kAuth);
  // Loki down meanwhile: still held, for the same reason.
  EXPECT_EQ(policy.observe(Class::kTransient), SinkHoldCause::kAuth);
  EXPECT_EQ(policy.observe(Class::kUnauthorized), SinkHoldCause::kAuth);
  EXPECT_EQ(policy.observe(Class::kDelivered), std::nullopt);
  EXPECT_EQ(policy.hold(), std::nullopt);
}

TEST(SinkHoldPolicy, UnexpectedAnswersHoldOnlyWhenTheyComeManyInARow) {
  SinkHoldPolicy policy(5);
  for (int i = 1; i < 5; ++i) {
    EXPECT_EQ(policy.observe(Class::kUnexpected), std::nullopt) << i;
    EXPECT_EQ(policy.unexpected_in_a_row(), static_cast<std::uint32_t>(i));
  }
  EXPECT_EQ(policy.observe(Class::kUnexpected), SinkHoldCause::kMisconfiguration);
  EXPECT_EQ(policy.observe(Class::kUnexpected), SinkHoldCause::kMisconfiguration);
  EXPECT_EQ(policy.observe(Class::kTransient), SinkHoldCause::kMisconfiguration);
  // A later success clears the hold and the count: the next 404 is one in a row again.
  EXPECT_EQ(policy.observe(Class::kDelivered), std::nullopt);
  EXPECT_EQ(policy.unexpected_in_a_row(), 0u);
  EXPECT_EQ(policy.observe(Class::kUnexpected), std::nullopt);
  EXPECT_EQ(policy.unexpected_in_a_row(), 1u);
}

TEST(SinkHoldPolicy, TransientFailuresAndSplitsNeitherCountNorBreakTheRun) {
  SinkHoldPolicy policy(3);
  EXPECT_EQ(policy.observe(Class::kUnexpected), std::nullopt);
  EXPECT_EQ(policy.observe(Class::kTransient), std::nullopt);
  EXPECT_EQ(policy.observe(Class::kTooLarge), std::nullopt);
  EXPECT_EQ(policy.observe(Class::kUnexpected), std::nullopt);
  EXPECT_EQ(policy.observe(Class::kTransient), std::nullopt);
  EXPECT_EQ(policy.observe(Class::kUnexpected), SinkHoldCause::kMisconfiguration);
}

TEST(SinkHoldPolicy, RecordsRefusedByValidationNeverHoldAndEndAHold) {
  SinkHoldPolicy policy(3);
  // "too old" for every batch after a long outage: real rejections, any number of them.
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(policy.observe(Class::kRecordsRefused), std::nullopt);
  // A validation answer proves the backend is there: it breaks a run of unexpected answers...
  policy.observe(Class::kUnexpected);
  policy.observe(Class::kUnexpected);
  EXPECT_EQ(policy.observe(Class::kRecordsRefused), std::nullopt);
  EXPECT_EQ(policy.unexpected_in_a_row(), 0u);
  // ...and ends a hold.
  policy.observe(Class::kUnauthorized);
  EXPECT_EQ(policy.observe(Class::kRecordsRefused), std::nullopt);
}

TEST(SinkHoldPolicy, AThresholdOfZeroHoldsAtTheFirstUnexpectedAnswer) {
  SinkHoldPolicy policy(0);
  EXPECT_EQ(policy.threshold(), 1u);
  EXPECT_EQ(policy.observe(Class::kUnexpected), SinkHoldCause::kMisconfiguration);
}

}  // namespace
}  // namespace lc
