#include "core/batch_owner.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace lc {
namespace {

TEST(BatchOwnerTest, RecordsOfABatchCountOnTheirOwnBlock) {
  auto shared = std::make_shared<const std::string>("web");
  BatchOwner<const std::string> owner(shared);
  std::vector<std::shared_ptr<const std::string>> records;
  for (int i = 0; i < 100; ++i) records.push_back(owner.for_record());
  // The original is held once for the whole batch, not once per record.
  EXPECT_EQ(shared.use_count(), 3);  // `shared`, the owner, the batch's block
  for (const auto& record : records) EXPECT_EQ(record.get(), shared.get());
  owner.end_batch();  // gives back its own copies: only the records count on the block
  EXPECT_EQ(records.front().use_count(), 100);
  EXPECT_EQ(shared.use_count(), 3);
  records.clear();
  EXPECT_EQ(shared.use_count(), 2);  // the batch's block went with its last record
}

TEST(BatchOwnerTest, EachBatchGetsANewBlock) {
  auto shared = std::make_shared<const std::string>("web");
  BatchOwner<const std::string> owner(shared);
  const auto first = owner.for_record();
  owner.end_batch();
  const auto second = owner.for_record();
  EXPECT_EQ(first.get(), second.get());
  EXPECT_TRUE(first.owner_before(second) || second.owner_before(first));
  EXPECT_EQ(first.use_count(), 1);   // the owner let go of the first batch
  EXPECT_GT(second.use_count(), 1);  // still handing out the second
}

TEST(BatchOwnerTest, TheObjectLivesWhileARecordHoldsIt) {
  std::weak_ptr<const std::string> watch;
  std::shared_ptr<const std::string> record;
  {
    auto shared = std::make_shared<const std::string>("web");
    watch = shared;
    BatchOwner<const std::string> owner(std::move(shared));
    record = owner.for_record();
  }
  ASSERT_FALSE(watch.expired());
  EXPECT_EQ(*record, "web");
  record.reset();
  EXPECT_TRUE(watch.expired());
}

TEST(BatchOwnerTest, ResetGivesLaterRecordsTheNewObject) {
  BatchOwner<const std::string> owner(std::make_shared<const std::string>("old"));
  const auto before = owner.for_record();
  owner.reset(std::make_shared<const std::string>("new"));
  EXPECT_EQ(*owner.for_record(), "new");
  EXPECT_EQ(*before, "old");
  EXPECT_EQ(*owner.shared(), "new");
}

TEST(BatchOwnerTest, NothingToOwnGivesNull) {
  BatchOwner<const std::string> owner;
  EXPECT_EQ(owner.for_record(), nullptr);
}

}  // namespace
}  // namespace lc
