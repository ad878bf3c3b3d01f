#include "core/timestamp_ranks.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(TimestampRanks, CountsPerTimestampAcrossInterleaving) {
  TimestampRanks ranks;
  EXPECT_EQ(ranks.next(10), 0u);
  EXPECT_EQ(ranks.next(10), 1u);
  EXPECT_EQ(ranks.next(11), 0u);
  EXPECT_EQ(ranks.next(10), 2u);  // stderr stamped slightly earlier, arriving later
  EXPECT_EQ(ranks.next(11), 1u);
}

TEST(TimestampRanks, SeedContinuesAResumedCount) {
  TimestampRanks ranks;
  ranks.seed({10, 3});
  EXPECT_EQ(ranks.next(10), 3u);
  EXPECT_EQ(ranks.next(12), 0u);
}

}  // namespace
}  // namespace lc
