// Receipts reach the checkpoint tracker in submission order, whatever order chunks finish
// in; finished chunks waiting behind an unfinished one are merged, so what waits stays small.
#include "pipeline/acknowledgement_order.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lc {
namespace {

DeliveryReceipt receipt(const std::string& key, TimestampNs time, std::uint64_t records,
                        std::uint64_t offset = 0) {
  DeliveryReceipt r;
  DeliveryReceipt::Source source{key, ContainerPosition{{time, 1}}, std::nullopt, records};
  if (offset > 0) {
    source.file =
        FileResumePoint{FilePosition{{1, 2}, offset}, {}, ContainerPosition{{time, 1}}, {}};
  }
  r.sources.push_back(source);
  return r;
}

class AcknowledgementOrderTest : public ::testing::Test {
 protected:
  std::vector<DeliveryReceipt> acknowledged_;
  AcknowledgementOrder order_{[this](const DeliveryReceipt& r) { acknowledged_.push_back(r); }};
};

TEST_F(AcknowledgementOrderTest, InOrderCompletionsAreAcknowledgedAtOnce) {
  const auto a = order_.enqueue(receipt("c", 10, 1));
  const auto b = order_.enqueue(receipt("c", 20, 1));
  order_.complete(a);
  ASSERT_EQ(acknowledged_.size(), 1u);
  order_.complete(b);
  ASSERT_EQ(acknowledged_.size(), 2u);
  EXPECT_EQ(acknowledged_[1].sources[0].position.out.time, 20);
  EXPECT_EQ(order_.waiting(), 0u);
}

TEST_F(AcknowledgementOrderTest, ALaterChunkWaitsForAnEarlierOneStillAtASink) {
  const auto a = order_.enqueue(receipt("c", 10, 3));
  const auto b = order_.enqueue(receipt("c", 20, 4));
  order_.complete(b);
  EXPECT_TRUE(acknowledged_.empty()) << "the checkpoint would pass records a sink still holds";
  order_.complete(a);
  ASSERT_EQ(acknowledged_.size(), 1u);  // both, merged
  EXPECT_EQ(acknowledged_[0].sources[0].position.out.time, 20);
  EXPECT_EQ(acknowledged_[0].sources[0].records, 7u);
}

TEST_F(AcknowledgementOrderTest, FinishedChunksBehindAnUnfinishedOneAreMergedIntoOne) {
  const auto stuck = order_.enqueue(receipt("c", 1, 1));
  for (int i = 2; i < 1000; ++i) order_.complete(order_.enqueue(receipt("c", i, 1)));
  EXPECT_EQ(order_.waiting(), 2u);  // the stuck one and one merged receipt
  EXPECT_TRUE(acknowledged_.empty());
  order_.complete(stuck);  // joins the merged ones: one acknowledgement for all
  ASSERT_EQ(acknowledged_.size(), 1u);
  EXPECT_EQ(acknowledged_[0].sources[0].position.out.time, 999);
  EXPECT_EQ(acknowledged_[0].sources[0].records, 999u);
  EXPECT_EQ(order_.waiting(), 0u);
}

TEST_F(AcknowledgementOrderTest, AGapInTheMiddleJoinsBothSidesWhenItFinishes) {
  const auto a = order_.enqueue(receipt("c", 1, 1));
  const auto b = order_.enqueue(receipt("c", 2, 1));
  const auto c = order_.enqueue(receipt("c", 3, 1));
  const auto d = order_.enqueue(receipt("c", 4, 1));
  order_.complete(b);
  order_.complete(d);
  EXPECT_EQ(order_.waiting(), 4u);
  order_.complete(c);  // b, c and d become one
  EXPECT_EQ(order_.waiting(), 2u);
  order_.complete(a);
  ASSERT_EQ(acknowledged_.size(), 1u);
  EXPECT_EQ(acknowledged_[0].sources[0].position.out.time, 4);
  EXPECT_EQ(acknowledged_[0].sources[0].records, 4u);
}

TEST_F(AcknowledgementOrderTest, MergeKeepsEverySourceAndTheLaterFilePlace) {
  DeliveryReceipt earlier = receipt("a", 10, 2, 100);
  AcknowledgementOrder::merge_into(earlier, receipt("b", 5, 1));
  AcknowledgementOrder::merge_into(earlier, receipt("a", 12, 3, 300));
  ASSERT_EQ(earlier.sources.size(), 2u);
  EXPECT_EQ(earlier.sources[0].key, "a");
  EXPECT_EQ(earlier.sources[0].position.out.time, 12);
  EXPECT_EQ(earlier.sources[0].records, 5u);
  ASSERT_TRUE(earlier.sources[0].file.has_value());
  EXPECT_EQ(earlier.sources[0].file->position.offset, 300u);
  EXPECT_EQ(earlier.sources[1].key, "b");
}

TEST_F(AcknowledgementOrderTest, AnUnknownPlaceIsIgnored) {
  order_.complete(42);
  EXPECT_TRUE(acknowledged_.empty());
}

}  // namespace
}  // namespace lc
