// TailedFileReader across rotations: rename (with late writes), several rotations between two
// reads, symlinks, rotations while the reader was closed or the agent was down.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "inputs/file/tailed_file_reader.hpp"
#include "tailed_file_reader_fixture.hpp"

namespace lc::file_input::testing {
namespace {

using namespace std::chrono_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using TailedRotationTest = TailedFileReaderTest;

TEST_F(TailedRotationTest, RenameRotationFinishesTheOldFileIncludingLinesWrittenAfterTheRename) {
  FileWriter application(path_);  // keeps its fd: writes after the rename go to the old file
  application.write("1\n");
  TailedFileReaderOptions options;
  options.rotate_wait = 5s;
  auto reader = make_reader(options);
  EXPECT_THAT(read_messages(*reader), ElementsAre("1"));

  std::filesystem::rename(path_, path_ + ".1");
  application.write("2\n");  // before it reopens the path
  append(path_, "3\n");      // the new file
  EXPECT_THAT(read_messages(*reader), ElementsAre("2", "3"));
  EXPECT_EQ(reader->counters().rotations, 1u);
  EXPECT_EQ(metrics_.rotations.value(), 1u);

  application.write("2b\n");  // still late: the old file is still read
  EXPECT_THAT(read_messages(*reader), ElementsAre("2b"));
  EXPECT_EQ(reader->open_file_count(), 2u);
  ASSERT_TRUE(reader->next_deadline().has_value());
  EXPECT_EQ(*reader->next_deadline(), now_ + 5s);

  advance(5s);  // quiet for rotate_wait: the old file is closed
  EXPECT_THAT(read_messages(*reader), IsEmpty());
  EXPECT_EQ(reader->open_file_count(), 1u);
  append(path_, "4\n");
  EXPECT_THAT(read_messages(*reader), ElementsAre("4"));
  EXPECT_EQ(reader->counters().rotations, 1u);
}

TEST_F(TailedRotationTest, WithOneFdTheOldFileIsFinishedBeforeTheNewOneIsOpened) {
  append(path_, "1\n");
  auto reader = make_reader();
  EXPECT_THAT(messages(read(*reader, 1 << 20, /*max_open_files=*/1)), ElementsAre("1"));
  append(path_, "2\n");
  std::filesystem::rename(path_, path_ + ".1");
  append(path_, "3\n");
  // read() checks open_file_count() <= 1 after every call.
  EXPECT_THAT(messages(read(*reader, 1 << 20, 1)), ElementsAre("2", "3"));
  EXPECT_EQ(reader->open_file_count(), 1u);
}

TEST_F(TailedRotationTest, SeveralRotationsBetweenTwoReadsLoseNothingAndRepeatNothing) {
  append(path_, numbered_lines(0, 2));
  auto reader = make_reader();
  EXPECT_EQ(read_messages(*reader), numbered_messages(0, 2));
  append(path_, numbered_lines(2, 3));  // the rest of the file being followed
  rotate_numbered(path_);
  append(path_, numbered_lines(3, 5));  // a file the reader never saw under the path
  rotate_numbered(path_);
  append(path_, numbered_lines(5, 7));  // another one
  rotate_numbered(path_);
  append(path_, numbered_lines(7, 8));
  EXPECT_EQ(read_messages(*reader), numbered_messages(2, 8));
  EXPECT_EQ(reader->open_file_count(), 1u);  // the rotated ones are finished
  append(path_, numbered_lines(8, 9));
  EXPECT_EQ(read_messages(*reader), numbered_messages(8, 9));
  rotate_numbered(path_);
  append(path_, numbered_lines(9, 10));
  EXPECT_EQ(read_messages(*reader), numbered_messages(9, 10));
}

TEST_F(TailedRotationTest, RepointedSymlinkIsARotation) {
  std::filesystem::create_directory(dir_ / "releases");
  const std::string old_target = dir_ / "releases/v1.log";
  const std::string new_target = dir_ / "releases/v2.log";
  append(old_target, "v1 first\n");
  std::filesystem::create_symlink(old_target, path_);
  TailedFileReaderOptions options;
  options.rotate_wait = 5s;
  auto reader = make_reader(options);
  auto records = read(*reader);
  EXPECT_THAT(messages(records), ElementsAre("v1 first"));
  EXPECT_EQ(records[0].file_source->path, path_);  // the configured path, not the target
  EXPECT_EQ(records[0].file_position.file, identity_of_path(old_target));

  append(old_target, "v1 second\n");
  append(new_target, "v2 first\n");
  std::filesystem::create_symlink(new_target, dir_ / "app.log.tmp");
  std::filesystem::rename(dir_ / "app.log.tmp", path_);  // ln -sfn: atomic re-point
  records = read(*reader);
  EXPECT_THAT(messages(records), ElementsAre("v1 second", "v2 first"));
  EXPECT_EQ(records[1].file_position.file, identity_of_path(new_target));
  EXPECT_EQ(reader->counters().rotations, 1u);

  append(old_target, "v1 late\n");  // the old target is still read for rotate_wait
  EXPECT_THAT(read_messages(*reader), ElementsAre("v1 late"));
  advance(5s);
  EXPECT_THAT(read_messages(*reader), IsEmpty());
  EXPECT_EQ(reader->open_file_count(), 1u);
  append(new_target, "v2 second\n");
  EXPECT_THAT(read_messages(*reader), ElementsAre("v2 second"));
}

TEST_F(TailedRotationTest, RenamedAwayWithoutANewFileIsFinishedThenGone) {
  append(path_, "a\n");
  TailedFileReaderOptions options;
  options.rotate_wait = 5s;
  auto reader = make_reader(options);
  EXPECT_THAT(read_messages(*reader), ElementsAre("a"));
  append(path_, "b\nunterminated");
  std::filesystem::rename(path_, path_ + ".1");
  EXPECT_THAT(read_messages(*reader), ElementsAre("b"));
  EXPECT_EQ(last_progress_, Progress::kCaughtUp);  // waits for late lines
  advance(5s);
  // Rotated away for good: its last line is delivered although it has no newline.
  EXPECT_THAT(read_messages(*reader), ElementsAre("unterminated"));
  EXPECT_EQ(last_progress_, Progress::kGone);
  EXPECT_EQ(reader->open_file_count(), 0u);
  EXPECT_EQ(reader->counters().unterminated_lines, 1u);
}

TEST_F(TailedRotationTest, ReleasedReaderFindsItsFileUnderItsRotatedName) {
  append(path_, "0\n");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("0"));
  reader->release();  // closed under max_open_files
  append(path_, "1\n");
  rotate_numbered(path_);
  append(path_, "2\n");
  EXPECT_TRUE(reader->may_have_news());
  EXPECT_THAT(read_messages(*reader), ElementsAre("1", "2"));
  EXPECT_EQ(reader->counters().resume_lost, 0u);
}

TEST_F(TailedRotationTest, ResumesAfterRotationsWhileTheAgentWasDown) {
  append(path_, numbered_lines(0, 5));
  FileResumePoint point;
  {
    auto before_the_stop = make_reader();
    const auto records = read(*before_the_stop);
    ASSERT_EQ(records.size(), 5u);
    point = resume_after(records[2]);
  }
  append(path_, numbered_lines(5, 7));
  rotate_numbered(path_);
  append(path_, numbered_lines(7, 9));
  rotate_numbered(path_);
  append(path_, numbered_lines(9, 10));
  auto reader = make_reader({}, TailedFileReader::StartAt::kBeginning, {point});
  EXPECT_EQ(read_messages(*reader), numbered_messages(3, 10));
  EXPECT_EQ(reader->counters().resume_lost, 0u);
  append(path_, numbered_lines(10, 11));
  EXPECT_EQ(read_messages(*reader), numbered_messages(10, 11));
}

TEST_F(TailedRotationTest, ResumesAfterACopytruncateWhileTheAgentWasDown) {
  append(path_, numbered_lines(0, 5));
  FileResumePoint point;
  {
    auto before_the_stop = make_reader();
    const auto records = read(*before_the_stop);
    point = resume_after(records[2]);
  }
  append(path_, numbered_lines(5, 7));
  std::filesystem::copy_file(path_, path_ + ".1");
  truncate_to_zero(path_);
  append(path_, numbered_lines(7, 9));
  auto reader = make_reader({}, TailedFileReader::StartAt::kBeginning, {point});
  EXPECT_EQ(read_messages(*reader), numbered_messages(3, 9));
  EXPECT_EQ(reader->counters().resume_lost, 0u);
  EXPECT_EQ(reader->counters().truncations, 1u);
}

TEST_F(TailedRotationTest, AResumedRotatedFileIsFinishedBeforeTheCurrentOne) {
  append(path_, numbered_lines(0, 3));
  FileResumePoint point;
  {
    auto before_the_stop = make_reader();
    point = resume_after(read(*before_the_stop)[0]);
  }
  rotate_numbered(path_);
  append(path_, numbered_lines(3, 4));
  auto reader = make_reader({}, TailedFileReader::StartAt::kBeginning, {point});
  const auto records = read(*reader);
  EXPECT_EQ(messages(records), numbered_messages(1, 4));
  EXPECT_EQ(records[1].file_position.file, identity_of_path(path_ + ".1"));
  EXPECT_EQ(records[2].file_position.file, identity_of_path(path_));
}

}  // namespace
}  // namespace lc::file_input::testing
