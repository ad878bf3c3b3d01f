#include "pipeline/checkpoint_tracker.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace lc {
namespace {

const std::string kContainerA(64, 'a');
const std::string kContainerB(64, 'b');

ContainerMetadataPtr tracked_container(const std::string& id) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = id;
  metadata->name = "c-" + id.substr(0, 4);
  return metadata;
}

LogRecord record(const ContainerMetadataPtr& owner, TimestampNs time, std::uint32_t index) {
  LogRecord r;
  r.container = owner;
  r.time = time;
  r.index_at_time = index;
  r.message = "line";
  return r;
}

TEST(CheckpointTracker, UnknownContainerHasNoPosition) {
  CheckpointTracker tracker;
  EXPECT_FALSE(tracker.position(kContainerA).has_value());
  EXPECT_FALSE(tracker.has_undelivered(kContainerA));
  EXPECT_TRUE(tracker.positions().empty());
  EXPECT_EQ(tracker.generation(), 0u);
}

TEST(CheckpointTracker, RestoredPositionsAreWhereToResume) {
  CheckpointTracker tracker;
  tracker.restore(
      {{kContainerA, ContainerPosition{{1000, 2}}}, {kContainerB, ContainerPosition{{5, 1}}}});
  EXPECT_EQ(tracker.position(kContainerA), (ContainerPosition{{1000, 2}}));
  EXPECT_EQ(tracker.position(kContainerB), (ContainerPosition{{5, 1}}));
  EXPECT_EQ(tracker.positions().size(), 2u);
  EXPECT_EQ(tracker.generation(), 1u);
}

LogRecord file_record(const ContainerMetadataPtr& owner, TimestampNs time, std::uint32_t index,
                      std::uint64_t inode, std::uint64_t offset) {
  LogRecord r = record(owner, time, index);
  r.file_position = FilePosition{FileIdentity{1, inode}, offset};
  r.file_fingerprint = 77;
  return r;
}

TEST(CheckpointTracker, FilePlaceFollowsWhatWasSubmittedAndCheckpointsWhatWasDelivered) {
  CheckpointTracker tracker;
  const FileResumePoint restored{{{1, 10}, 500}, 77, ContainerPosition{{1000, 1}}, {}};
  tracker.restore({{kContainerA, ContainerPosition{{1000, 1}}}},
                  {{kContainerA, restored}, {kContainerB, restored}});
  // A file place without its container's position means nothing and is not kept.
  EXPECT_FALSE(tracker.file_position(kContainerB).has_value());
  EXPECT_EQ(tracker.file_position(kContainerA), restored);

  const auto a = tracked_container(kContainerA);
  const FileResumePoint submitted{{{1, 10}, 900}, 77, ContainerPosition{{3000, 1}}, {}};
  tracker.on_submitted(kContainerA, 2, ContainerPosition{{3000, 1}}, submitted);
  EXPECT_EQ(tracker.file_position(kContainerA), submitted);       // where to read on
  EXPECT_EQ(tracker.file_positions().at(kContainerA), restored);  // what to checkpoint

  const std::vector<LogRecord> delivered{file_record(a, 2000, 0, 10, 700),
                                         file_record(a, 3000, 0, 11, 80)};
  tracker.acknowledge(delivered);
  EXPECT_EQ(tracker.file_positions().at(kContainerA),
            (FileResumePoint{{{1, 11}, 80}, 77, ContainerPosition{{3000, 1}}, {}}));
}

TEST(CheckpointTracker, RecordReadThroughTheApiForgetsAnOlderFilePlace) {
  CheckpointTracker tracker;
  tracker.restore(
      {{kContainerA, ContainerPosition{{1000, 1}}}},
      {{kContainerA, FileResumePoint{{{1, 10}, 500}, 77, ContainerPosition{{1000, 1}}, {}}}});
  const std::vector<LogRecord> delivered{record(tracked_container(kContainerA), 2000, 0)};
  tracker.acknowledge(delivered);
  EXPECT_TRUE(tracker.file_positions().empty());
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{2000, 1}}));
}

TEST(CheckpointTracker, PositionPrefersWhatWasSubmittedButCheckpointsOnlyWhatWasDelivered) {
  CheckpointTracker tracker;
  tracker.restore({{kContainerA, ContainerPosition{{1000, 1}}}});
  const auto generation = tracker.generation();
  tracker.on_submitted(kContainerA, 3, ContainerPosition{{2000, 2}});
  // Reopening a stream in this process continues after what the pipeline will deliver...
  EXPECT_EQ(tracker.position(kContainerA), (ContainerPosition{{2000, 2}}));
  // ...but a checkpoint never claims undelivered records.
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{1000, 1}}));
  EXPECT_TRUE(tracker.has_undelivered(kContainerA));
  EXPECT_EQ(tracker.generation(), generation);  // nothing to save yet
}

TEST(CheckpointTracker, SubmittedPositionIsKnownBeforeAnyDelivery) {
  CheckpointTracker tracker;
  tracker.on_submitted(kContainerA, 1, ContainerPosition{{42, 1}});
  EXPECT_EQ(tracker.position(kContainerA), (ContainerPosition{{42, 1}}));
  EXPECT_TRUE(tracker.positions().empty());
}

TEST(CheckpointTracker, AcknowledgeMovesEachContainerToItsLastDeliveredRecord) {
  CheckpointTracker tracker;
  const auto a = tracked_container(kContainerA);
  const auto b = tracked_container(kContainerB);
  tracker.on_submitted(kContainerA, 3, ContainerPosition{{20, 1}});
  tracker.on_submitted(kContainerB, 2, ContainerPosition{{31, 1}});
  const std::vector<LogRecord> batch = {record(a, 10, 0), record(b, 30, 0), record(a, 10, 1),
                                        record(b, 31, 0), record(a, 20, 0)};
  tracker.acknowledge(batch);
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{20, 1}}));
  EXPECT_EQ(tracker.positions().at(kContainerB), (ContainerPosition{{31, 1}}));
  EXPECT_FALSE(tracker.has_undelivered(kContainerA));
  EXPECT_FALSE(tracker.has_undelivered(kContainerB));
  EXPECT_EQ(tracker.generation(), 1u);
}

TEST(CheckpointTracker, SameTimestampCountsRecordsDelivered) {
  CheckpointTracker tracker;
  const auto a = tracked_container(kContainerA);
  tracker.on_submitted(kContainerA, 3, ContainerPosition{{7, 3}});
  const std::vector<LogRecord> first = {record(a, 7, 0), record(a, 7, 1)};
  tracker.acknowledge(first);
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{7, 2}}));
  EXPECT_TRUE(tracker.has_undelivered(kContainerA));
  const std::vector<LogRecord> second = {record(a, 7, 2)};
  tracker.acknowledge(second);
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{7, 3}}));
  EXPECT_FALSE(tracker.has_undelivered(kContainerA));
}

TEST(CheckpointTracker, GenerationChangesWithEveryDeliveryAndRetirement) {
  CheckpointTracker tracker;
  const auto a = tracked_container(kContainerA);
  EXPECT_EQ(tracker.generation(), 0u);
  tracker.on_submitted(kContainerA, 2, ContainerPosition{{2, 1}});
  EXPECT_EQ(tracker.generation(), 0u);
  const std::vector<LogRecord> one = {record(a, 1, 0)};
  tracker.acknowledge(one);
  EXPECT_EQ(tracker.generation(), 1u);
  const std::vector<LogRecord> two = {record(a, 2, 0)};
  tracker.acknowledge(two);
  EXPECT_EQ(tracker.generation(), 2u);
  tracker.retire(kContainerA);
  EXPECT_EQ(tracker.generation(), 3u);
  tracker.retire(kContainerB);  // unknown: nothing changes, nothing to save
  EXPECT_EQ(tracker.generation(), 3u);
}

TEST(CheckpointTracker, RetireWithNothingPendingDropsTheCheckpointAtOnce) {
  CheckpointTracker tracker;
  tracker.restore(
      {{kContainerA, ContainerPosition{{1, 1}}}, {kContainerB, ContainerPosition{{2, 1}}}});
  tracker.retire(kContainerA);
  EXPECT_FALSE(tracker.position(kContainerA).has_value());
  EXPECT_EQ(tracker.positions().size(), 1u);
  EXPECT_TRUE(tracker.positions().contains(kContainerB));
}

TEST(CheckpointTracker, RetireWaitsUntilEverythingSubmittedIsAcknowledged) {
  CheckpointTracker tracker;
  const auto a = tracked_container(kContainerA);
  tracker.on_submitted(kContainerA, 3, ContainerPosition{{3, 1}});
  tracker.retire(kContainerA);
  EXPECT_TRUE(tracker.has_undelivered(kContainerA));
  EXPECT_EQ(tracker.position(kContainerA), (ContainerPosition{{3, 1}}));

  const std::vector<LogRecord> first = {record(a, 1, 0), record(a, 2, 0)};
  tracker.acknowledge(first);
  ASSERT_TRUE(tracker.positions().contains(kContainerA))
      << "erased before its last record was delivered";
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{2, 1}}));

  const std::vector<LogRecord> last = {record(a, 3, 0)};
  tracker.acknowledge(last);
  EXPECT_FALSE(tracker.positions().contains(kContainerA));
  EXPECT_FALSE(tracker.position(kContainerA).has_value());
  EXPECT_FALSE(tracker.has_undelivered(kContainerA));
}

TEST(CheckpointTracker, RetiredContainerIsErasedEvenWhenItsLastRecordsShareABatch) {
  CheckpointTracker tracker;
  const auto a = tracked_container(kContainerA);
  const auto b = tracked_container(kContainerB);
  tracker.on_submitted(kContainerA, 1, ContainerPosition{{1, 1}});
  tracker.on_submitted(kContainerB, 1, ContainerPosition{{2, 1}});
  tracker.retire(kContainerA);
  const std::vector<LogRecord> batch = {record(a, 1, 0), record(b, 2, 0)};
  tracker.acknowledge(batch);
  EXPECT_FALSE(tracker.positions().contains(kContainerA));
  EXPECT_EQ(tracker.positions().at(kContainerB), (ContainerPosition{{2, 1}}));
}

TEST(CheckpointTracker, SubmittingAgainCancelsARetirement) {
  CheckpointTracker tracker;
  const auto a = tracked_container(kContainerA);
  tracker.on_submitted(kContainerA, 1, ContainerPosition{{1, 1}});
  tracker.retire(kContainerA);
  tracker.on_submitted(kContainerA, 1, ContainerPosition{{2, 1}});  // it logs again: not gone
  const std::vector<LogRecord> batch = {record(a, 1, 0), record(a, 2, 0)};
  tracker.acknowledge(batch);
  EXPECT_EQ(tracker.positions().at(kContainerA), (ContainerPosition{{2, 1}}));
}

TEST(CheckpointTracker, RetireOfAnUnknownContainerIsANoOp) {
  CheckpointTracker tracker;
  tracker.retire(kContainerA);
  EXPECT_FALSE(tracker.position(kContainerA).has_value());
  EXPECT_EQ(tracker.generation(), 0u);
}

}  // namespace
}  // namespace lc
