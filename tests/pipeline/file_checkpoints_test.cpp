#include "pipeline/file_checkpoints.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "pipeline/delivery_receipt.hpp"

namespace lc {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

const std::string kPath = "/var/log/app.log";
constexpr FileIdentity kOld{2049, 11};
constexpr FileIdentity kNew{2049, 12};

LogRecord line_of(const FileSourcePtr& source, FileIdentity file, std::uint64_t offset,
                  TimestampNs time) {
  LogRecord record;
  record.file_source = source;
  record.time = time;
  record.message = "line";
  record.file_position = FilePosition{file, offset};
  record.file_fingerprint = file.inode * 100;
  return record;
}

std::vector<FilePosition> places(const std::vector<FileResumePoint>& points) {
  std::vector<FilePosition> out;
  for (const FileResumePoint& point : points) out.push_back(point.position);
  return out;
}

class FileCheckpointsTest : public ::testing::Test {
 protected:
  const FileSourcePtr source_ = std::make_shared<const FileSource>(FileSource{kPath, {}, "files"});
  CheckpointTracker tracker_;
  FileCheckpoints checkpoints_{tracker_};
};

TEST(FileCheckpointKeys, AKeyPerFileOfAPath) {
  EXPECT_EQ(file_checkpoint_key(kPath, kOld), "file:/var/log/app.log@2049:11");
  EXPECT_EQ(file_of_checkpoint_key("file:/var/log/app.log@2049:11", kPath), kOld);
  EXPECT_EQ(file_of_checkpoint_key("file:/var/log/app.log", kPath), std::nullopt);
  // Another path that starts like this one is not one of its files.
  EXPECT_EQ(file_of_checkpoint_key("file:/var/log/app.log@x.log@2049:11", kPath), std::nullopt);
  EXPECT_EQ(file_of_checkpoint_key("file:/var/log/app.log@2049:", kPath), std::nullopt);
  EXPECT_EQ(file_of_checkpoint_key("file:/var/log/app.log@:11", kPath), std::nullopt);
}

TEST_F(FileCheckpointsTest, RecordsOfTheRotatedAndTheNewFileKeepAPlaceEach) {
  // One turn during rotate_wait: the old file's late lines, then the new file's.
  const std::vector<LogRecord> batch = {
      line_of(source_, kOld, 100, 1), line_of(source_, kNew, 10, 2), line_of(source_, kNew, 20, 3)};
  checkpoints_.on_submitted(batch);
  EXPECT_THAT(places(checkpoints_.resume_points(kPath)),
              UnorderedElementsAre(FilePosition{kOld, 100}, FilePosition{kNew, 20}));
  // Delivered, the same: the receipt updates each file's entry.
  tracker_.acknowledge(batch);
  const auto saved = tracker_.file_positions();
  EXPECT_EQ(saved.at(file_checkpoint_key(kPath, kOld)).position, (FilePosition{kOld, 100}));
  EXPECT_EQ(saved.at(file_checkpoint_key(kPath, kNew)).position, (FilePosition{kNew, 20}));
  EXPECT_FALSE(tracker_.has_undelivered(file_checkpoint_key(kPath, kOld)));
}

TEST_F(FileCheckpointsTest, AFinishedFileIsDroppedOnceItsRecordsAreDelivered) {
  const std::vector<LogRecord> batch = {line_of(source_, kOld, 100, 1),
                                        line_of(source_, kNew, 10, 2)};
  checkpoints_.on_submitted(batch);
  checkpoints_.on_file_finished(kPath, kOld);
  EXPECT_EQ(checkpoints_.resume_points(kPath).size(), 2u);  // not delivered yet
  tracker_.acknowledge(batch);
  EXPECT_THAT(places(checkpoints_.resume_points(kPath)), ElementsAre(FilePosition{kNew, 10}));
  EXPECT_EQ(tracker_.file_positions().size(), 1u);
}

TEST_F(FileCheckpointsTest, AGonePathDropsTheFilesOfThatPathOnly) {
  const auto other = std::make_shared<const FileSource>(FileSource{kPath + "@x.log", {}, "files"});
  const std::vector<LogRecord> batch = {line_of(source_, kOld, 100, 1),
                                        line_of(source_, kNew, 10, 2), line_of(other, kOld, 5, 3)};
  checkpoints_.on_submitted(batch);
  tracker_.acknowledge(batch);
  EXPECT_EQ(checkpoints_.resume_points(kPath).size(), 2u);
  checkpoints_.on_path_gone(kPath);
  EXPECT_THAT(checkpoints_.resume_points(kPath), IsEmpty());
  EXPECT_THAT(places(checkpoints_.resume_points(kPath + "@x.log")),
              ElementsAre(FilePosition{kOld, 5}));
}

TEST(UpgradeLegacyFileCheckpoints, APathKeyBecomesTheKeyOfItsFile) {
  const FileResumePoint place{{kOld, 100}, 1100, {}, {}};
  CheckpointState state;
  state.containers = {{"file:" + kPath, ContainerPosition{{7, 1}}},
                      {"abc", ContainerPosition{{9, 1}}}};
  state.container_files = {{"file:" + kPath, place}};
  upgrade_legacy_file_checkpoints(state);
  const std::string key = file_checkpoint_key(kPath, kOld);
  EXPECT_EQ(state.containers,
            (std::map<std::string, ContainerPosition>{{key, ContainerPosition{{7, 1}}},
                                                      {"abc", ContainerPosition{{9, 1}}}}));
  EXPECT_EQ(state.container_files, (std::map<std::string, FileResumePoint>{{key, place}}));
  const CheckpointState upgraded = state;
  upgrade_legacy_file_checkpoints(state);  // already per file: unchanged
  EXPECT_EQ(state, upgraded);
}

TEST(UpgradeLegacyFileCheckpoints, APerFileKeyOfTheSameFileIsNewerAndWins) {
  const FileResumePoint legacy{{kOld, 100}, 1100, {}, {}};
  const FileResumePoint recovered{{kOld, 180}, 1100, {}, {}};  // proved by the store
  const std::string key = file_checkpoint_key(kPath, kOld);
  CheckpointState state;
  state.containers = {{"file:" + kPath, ContainerPosition{{7, 1}}},
                      {key, ContainerPosition{{8, 1}}}};
  state.container_files = {{"file:" + kPath, legacy}, {key, recovered}};
  upgrade_legacy_file_checkpoints(state);
  EXPECT_EQ(state.containers,
            (std::map<std::string, ContainerPosition>{{key, ContainerPosition{{8, 1}}}}));
  EXPECT_EQ(state.container_files, (std::map<std::string, FileResumePoint>{{key, recovered}}));
}

TEST(DeliveryReceipt, RecordsOfOnePathReadFromTwoFilesHaveAKeyPerFile) {
  const auto source = std::make_shared<const FileSource>(FileSource{kPath, {}, "files"});
  const std::vector<LogRecord> batch = {line_of(source, kOld, 100, 1), line_of(source, kNew, 10, 2),
                                        line_of(source, kOld, 120, 3)};
  const DeliveryReceipt receipt = DeliveryReceipt::of(batch);
  ASSERT_EQ(receipt.sources.size(), 3u);
  EXPECT_EQ(receipt.sources[0].key, file_checkpoint_key(kPath, kOld));
  EXPECT_EQ(receipt.sources[1].key, file_checkpoint_key(kPath, kNew));
  EXPECT_EQ(receipt.sources[2].key, file_checkpoint_key(kPath, kOld));
  EXPECT_EQ(receipt.sources[2].file->position, (FilePosition{kOld, 120}));
}

}  // namespace
}  // namespace lc
