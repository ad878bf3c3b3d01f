#include "core/container_position.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

TEST(StreamPosition, CoversEarlierTimesAndTheFirstCountAtItsTime) {
  const StreamPosition position{100, 2};
  EXPECT_TRUE(position.covers(99, 5));
  EXPECT_TRUE(position.covers(100, 0));
  EXPECT_TRUE(position.covers(100, 1));
  EXPECT_FALSE(position.covers(100, 2));
  EXPECT_FALSE(position.covers(101, 0));
  EXPECT_FALSE(StreamPosition{}.covers(0, 0));
}

TEST(StreamPosition, AfterAndLater) {
  EXPECT_EQ(StreamPosition::after(7, 3), (StreamPosition{7, 4}));
  EXPECT_EQ(StreamPosition::later({5, 9}, {6, 1}), (StreamPosition{6, 1}));
  EXPECT_EQ(StreamPosition::later({6, 1}, {5, 9}), (StreamPosition{6, 1}));
  EXPECT_EQ(StreamPosition::later({6, 1}, {6, 3}), (StreamPosition{6, 3}));
}

TEST(ContainerPosition, EachStreamCoversOnlyItsOwnRecords) {
  // stdout delivered up to 10, stderr up to 5: an stderr line stamped 7 is not delivered.
  ContainerPosition position;
  position.advance(LogStream::kStdout, 10, 0);
  position.advance(LogStream::kStderr, 5, 0);
  EXPECT_TRUE(position.covers(LogStream::kStdout, 9, 0));
  EXPECT_FALSE(position.covers(LogStream::kStderr, 7, 0));
  EXPECT_TRUE(position.covers(LogStream::kStderr, 5, 0));
  position.advance(LogStream::kStderr, 4, 0);  // never back
  EXPECT_EQ(position.err, (StreamPosition{5, 1}));
  EXPECT_EQ(ContainerPosition::later({{1, 1}, {9, 1}}, {{3, 1}, {2, 1}}),
            (ContainerPosition{{3, 1}, {9, 1}}));
}

TEST(ContainerPosition, ResumeSinceIsTheEarliestStreamOrAMarginBeforeAnUnseenOne) {
  EXPECT_EQ(ContainerPosition{}.resume_since(1000), 0);
  EXPECT_EQ((ContainerPosition{{50'000, 1}, {40'000, 2}}).resume_since(1000), 40'000);
  // Nothing of stderr delivered yet: its line may be stamped a little before stdout's.
  EXPECT_EQ((ContainerPosition{{50'000, 1}, {}}).resume_since(1000), 49'000);
  EXPECT_EQ((ContainerPosition{{}, {500, 1}}).resume_since(1000), 0);
}

}  // namespace
}  // namespace lc
