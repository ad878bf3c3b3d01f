#include "core/container_position.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(ContainerPosition, CoversEarlierTimesAndTheFirstCountAtItsTime) {
  const ContainerPosition position{100, 2};
  EXPECT_TRUE(position.covers(99, 5));
  EXPECT_TRUE(position.covers(100, 0));
  EXPECT_TRUE(position.covers(100, 1));
  EXPECT_FALSE(position.covers(100, 2));
  EXPECT_FALSE(position.covers(101, 0));
  EXPECT_FALSE(ContainerPosition{}.covers(0, 0));
}

TEST(ContainerPosition, AfterAndLater) {
  EXPECT_EQ(ContainerPosition::after(7, 3), (ContainerPosition{7, 4}));
  EXPECT_EQ(ContainerPosition::later({5, 9}, {6, 1}), (ContainerPosition{6, 1}));
  EXPECT_EQ(ContainerPosition::later({6, 1}, {5, 9}), (ContainerPosition{6, 1}));
  EXPECT_EQ(ContainerPosition::later({6, 1}, {6, 3}), (ContainerPosition{6, 3}));
}

}  // namespace
}  // namespace lc
