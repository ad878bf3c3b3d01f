#include "processors/common/bounded_key_map.hpp"

#include <gtest/gtest.h>

#include <string>

namespace lc {
namespace {

TEST(BoundedKeyMap, ForgetsTheLeastRecentlyUsedKeyForANewOne) {
  BoundedKeyMap<std::string, int> map(2);
  bool evicted = false;
  map.find_or_add(
      "a", [] { return 1; }, evicted) = 10;
  map.find_or_add(
      "b", [] { return 2; }, evicted);
  EXPECT_FALSE(evicted);
  EXPECT_EQ(map.find_or_add(
                "a", [] { return 0; }, evicted),
            10);  // a is now the most recent
  map.find_or_add(
      "c", [] { return 3; }, evicted);
  EXPECT_TRUE(evicted);  // b went
  EXPECT_EQ(map.size(), 2u);
  EXPECT_EQ(map.find_or_add(
                "a", [] { return 0; }, evicted),
            10);
  EXPECT_FALSE(evicted);
  EXPECT_EQ(map.find_or_add(
                "b", [] { return 7; }, evicted),
            7);  // b starts afresh
  EXPECT_TRUE(evicted);
}

TEST(BoundedKeyMap, HoldsAtMostItsCapacityWhateverComes) {
  BoundedKeyMap<int, int> map(100);
  bool evicted = false;
  for (int i = 0; i < 100000; ++i)
    map.find_or_add(
        i, [] { return 0; }, evicted);
  EXPECT_EQ(map.size(), 100u);
}

}  // namespace
}  // namespace lc
