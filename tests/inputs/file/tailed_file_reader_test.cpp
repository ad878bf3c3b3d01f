// TailedFileReader: lines, limits, positions, truncation, deletion, start and resume points.
// Rotations (rename, several, symlinks, while closed) are in tailed_file_rotation_test.cpp.
#include "inputs/file/tailed_file_reader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/timestamp.hpp"
#include "inputs/json_file/log_file_chain.hpp"
#include "tailed_file_reader_fixture.hpp"

namespace lc::file_input::testing {
namespace {

using namespace std::chrono_literals;
using namespace std::string_literals;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

using TailedLinesTest = TailedFileReaderTest;

TEST_F(TailedLinesTest, ReadsAppendedLinesWithPositionsTimeAndSource) {
  append(path_, "alpha\nbeta\n");
  auto reader = make_reader();
  const TimestampNs before = now_ns();
  std::vector<LogRecord> records = read(*reader);
  const TimestampNs after = now_ns();
  ASSERT_THAT(messages(records), ElementsAre("alpha", "beta"));
  const FileIdentity file = identity_of_path(path_);
  const int fd = ::open(path_.c_str(), O_RDONLY);
  const std::uint64_t fingerprint = json_file::file_fingerprint(fd);
  ::close(fd);
  EXPECT_EQ(records[0].file_position, (FilePosition{file, 6}));
  EXPECT_EQ(records[1].file_position, (FilePosition{file, 11}));
  for (std::uint32_t i = 0; i < records.size(); ++i) {
    EXPECT_EQ(records[i].file_fingerprint, fingerprint);
    EXPECT_GE(records[i].time, before);
    EXPECT_LE(records[i].time, after);
    EXPECT_EQ(records[i].index_at_time, i);  // read in one call: one timestamp, ranked
    EXPECT_FALSE(records[i].truncated);
    ASSERT_NE(records[i].file_source, nullptr);
    EXPECT_EQ(records[i].file_source->path, path_);
    EXPECT_EQ(records[i].file_source->labels.at("app"), "test");
    EXPECT_EQ(records[i].container, nullptr);
  }
  EXPECT_EQ(last_progress_, Progress::kCaughtUp);

  append(path_, "gamma\n");
  records = read(*reader);
  ASSERT_THAT(messages(records), ElementsAre("gamma"));
  EXPECT_EQ(records[0].file_position.offset, 17u);
  EXPECT_THAT(read(*reader), IsEmpty());
  EXPECT_EQ(reader->counters().lines, 3u);
  EXPECT_EQ(reader->counters().bytes, 17u);
  EXPECT_EQ(metrics_.lines.value(), 3u);
  EXPECT_EQ(metrics_.bytes.value(), 17u);
}

TEST_F(TailedLinesTest, PartialLastLineIsHeldUntilItsNewline) {
  append(path_, "one\ntw");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("one"));
  advance(1h);  // no timeout by default: held however long
  EXPECT_THAT(read_messages(*reader), IsEmpty());
  append(path_, "o\n");
  EXPECT_THAT(read_messages(*reader), ElementsAre("two"));
  EXPECT_EQ(reader->counters().unterminated_lines, 0u);
}

TEST_F(TailedLinesTest, HundredKibLineArrivesWhole) {
  const std::string line(100 * 1024, 'x');
  append(path_, "before\n" + line + "\nafter\n");
  TailedFileReaderOptions options;
  options.read_chunk_bytes = 4096;  // the buffer grows to the line
  auto reader = make_reader(options);
  const auto records = read(*reader);
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[1].message, line);
  EXPECT_FALSE(records[1].truncated);
  EXPECT_EQ(records[2].message, "after");
}

TEST_F(TailedLinesTest, LineOfExactlyMaxBytesIsWholeAndLongerOnesAreCutAndFlagged) {
  TailedFileReaderOptions options;
  options.max_line_bytes = 16;
  options.read_chunk_bytes = 16;
  const std::string exact(16, 'e');
  const std::string one_more(17, 'o');
  const std::string huge(10000, 'h');
  append(path_, exact + "\n" + one_more + "\n" + huge + "\nnext\n");
  auto reader = make_reader(options);
  const auto records = read(*reader, /*max_bytes=*/64);  // several calls, mid-line too
  ASSERT_EQ(records.size(), 4u);
  EXPECT_EQ(records[0].message, exact);
  EXPECT_FALSE(records[0].truncated);
  EXPECT_EQ(records[1].message, std::string(16, 'o'));
  EXPECT_TRUE(records[1].truncated);
  EXPECT_EQ(records[2].message, std::string(16, 'h'));
  EXPECT_TRUE(records[2].truncated);
  // A cut line's position is after its end: a resume does not read its tail as a line.
  EXPECT_EQ(records[2].file_position.offset, 17u + 18u + 10001u);
  EXPECT_EQ(records[3].message, "next");
  EXPECT_EQ(reader->counters().lines_truncated, 2u);
  EXPECT_EQ(metrics_.lines_truncated.value(), 2u);
}

TEST_F(TailedLinesTest, EmptyLinesAreRecordsToo) {
  append(path_, "\n\nx\n\n");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("", "", "x", ""));
}

TEST_F(TailedLinesTest, InvalidUtf8IsPassedThroughByteForByte) {
  const std::string bytes = "bad \xFF\xFE utf8 \xC3 and a NUL \0 byte"s;
  append(path_, bytes + "\n");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre(bytes));
}

TEST_F(TailedLinesTest, TruncatedToZeroIsReadAgainFromItsStart) {
  append(path_, "a\nb\n");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("a", "b"));
  truncate_to_zero(path_);
  append(path_, "c\n");
  const auto records = read(*reader);
  EXPECT_THAT(messages(records), ElementsAre("c"));
  EXPECT_EQ(records[0].file_position.offset, 2u);
  EXPECT_EQ(reader->counters().truncations, 1u);
  EXPECT_EQ(metrics_.truncations.value(), 1u);
}

TEST_F(TailedLinesTest, CopytruncateTakesTheUnreadLinesFromTheCopy) {
  append(path_, numbered_lines(0, 3));
  auto reader = make_reader();
  EXPECT_EQ(read_messages(*reader), numbered_messages(0, 3));
  append(path_, numbered_lines(3, 5));  // written, not read yet
  std::filesystem::copy_file(path_, path_ + ".1");
  truncate_to_zero(path_);
  append(path_, numbered_lines(5, 7));
  EXPECT_EQ(read_messages(*reader), numbered_messages(3, 7));
  EXPECT_EQ(reader->counters().truncations, 1u);
  EXPECT_EQ(reader->counters().resume_lost, 0u);
  EXPECT_EQ(reader->open_file_count(), 1u);  // the copy was closed
}

TEST_F(TailedLinesTest, TruncatedAndGrownPastTheOffsetIsCaughtByTheByteBeforeTheOffset) {
  append(path_, "same first\nold second\n");  // offset 22
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("same first", "old second"));
  truncate_to_zero(path_);
  append(path_, "same first\nnew second line, longer\n");  // same fingerprint, byte 21 a space
  EXPECT_THAT(read_messages(*reader), ElementsAre("same first", "new second line, longer"));
  EXPECT_EQ(reader->counters().truncations, 1u);
}

TEST_F(TailedLinesTest, TruncatedAndGrownPastTheOffsetBetweenTwoReadsIsDetected) {
  append(path_, "first old line\nsecond\n");  // offset 22 after reading
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("first old line", "second"));
  truncate_to_zero(path_);
  append(path_, "brand new content, longer than before\nand more\n");  // byte 21 is not '\n'
  EXPECT_THAT(read_messages(*reader),
              ElementsAre("brand new content, longer than before", "and more"));
  EXPECT_EQ(reader->counters().truncations, 1u);
}

TEST_F(TailedLinesTest, RewriteWithANewlineJustBeforeTheOffsetIsCaughtByTheFingerprint) {
  append(path_, "aaaa\nbbbb\n");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("aaaa", "bbbb"));
  truncate_to_zero(path_);
  append(path_, "cccc\ndddd\neeee\n");  // same line lengths: byte 9 is '\n' again
  EXPECT_THAT(read_messages(*reader), ElementsAre("cccc", "dddd", "eeee"));
  EXPECT_EQ(reader->counters().truncations, 1u);
}

TEST_F(TailedLinesTest, DeletedWhileBeingReadIsFinishedAndClosed) {
  append(path_, "warm\n");
  {
    auto warm_up = make_reader();  // spdlog and friends open what they open once
    read(*warm_up);
  }
  const std::size_t fds_before = open_fd_count();
  append(path_, numbered_lines(0, 100) + "last words");
  auto reader = make_reader();
  std::vector<LogRecord> out;
  ASSERT_EQ(reader->read_available(out, {64, 2}, now_), Progress::kMore);  // part of it
  EXPECT_EQ(open_fd_count(), fds_before + 1);
  std::filesystem::remove(path_);
  const auto rest = read(*reader);
  out.insert(out.end(), rest.begin(), rest.end());
  std::vector<std::string> expected = {"warm"};
  for (const auto& line : numbered_messages(0, 100)) expected.push_back(line);
  expected.push_back("last words");  // a last line without '\n' is delivered once deleted
  EXPECT_EQ(messages(out), expected);
  EXPECT_EQ(last_progress_, Progress::kGone);
  EXPECT_EQ(reader->open_file_count(), 0u);
  EXPECT_EQ(open_fd_count(), fds_before);
  EXPECT_EQ(reader->counters().unterminated_lines, 1u);
}

TEST_F(TailedLinesTest, UnterminatedLineTimeoutDeliversAQuietPartialLine) {
  TailedFileReaderOptions options;
  options.unterminated_line_timeout = 2s;
  append(path_, "whole\npart");
  auto reader = make_reader(options);
  EXPECT_THAT(read_messages(*reader), ElementsAre("whole"));
  ASSERT_TRUE(reader->next_deadline().has_value());
  EXPECT_EQ(*reader->next_deadline(), now_ + 2s);
  advance(1500ms);
  append(path_, "ial");  // it grew: the wait starts again
  EXPECT_THAT(read_messages(*reader), IsEmpty());
  advance(1500ms);
  EXPECT_THAT(read_messages(*reader), IsEmpty());
  advance(500ms);
  const auto records = read(*reader);
  EXPECT_THAT(messages(records), ElementsAre("partial"));
  EXPECT_EQ(records[0].file_position.offset, 13u);
  EXPECT_FALSE(reader->next_deadline().has_value());
  append(path_, "next\n");  // what comes later is a line of its own
  EXPECT_THAT(read_messages(*reader), ElementsAre("next"));
  EXPECT_EQ(reader->counters().unterminated_lines, 1u);
  EXPECT_EQ(metrics_.unterminated_lines.value(), 1u);
}

TEST_F(TailedLinesTest, StartAtEndSkipsWhatIsThereIncludingAPartialLine) {
  append(path_, "old 1\nold 2\nhalf-writ");
  auto reader = make_reader({}, TailedFileReader::StartAt::kEnd);
  EXPECT_THAT(read_messages(*reader), IsEmpty());
  append(path_, "ten\nnew\n");
  EXPECT_THAT(read_messages(*reader), ElementsAre("new"));
}

TEST_F(TailedLinesTest, ResumesAtTheExactPositionNothingTwiceNothingMissed) {
  append(path_, numbered_lines(0, 10));
  FileResumePoint point;
  {
    auto first = make_reader();
    const auto records = read(*first);
    ASSERT_EQ(records.size(), 10u);
    point = resume_after(records[4]);  // delivered up to line 4
  }
  append(path_, numbered_lines(10, 12));
  auto reader = make_reader({}, TailedFileReader::StartAt::kEnd, {point});  // resume wins
  EXPECT_EQ(read_messages(*reader), numbered_messages(5, 12));
  EXPECT_EQ(reader->counters().resume_lost, 0u);
}

TEST_F(TailedLinesTest, ResumesAfterALineDeliveredWithoutItsNewline) {
  TailedFileReaderOptions options;
  options.unterminated_line_timeout = 1s;
  append(path_, "a\npart");
  FileResumePoint point;
  {
    auto first = make_reader(options);
    EXPECT_THAT(read_messages(*first), ElementsAre("a"));
    advance(1s);
    const auto records = read(*first);
    ASSERT_THAT(messages(records), ElementsAre("part"));
    point = resume_after(records[0]);  // offset 6: not after a '\n'
  }
  append(path_, "x\ny\n");
  auto reader = make_reader(options, TailedFileReader::StartAt::kBeginning, {point});
  EXPECT_THAT(read_messages(*reader), ElementsAre("x", "y"));
  EXPECT_EQ(reader->counters().resume_lost, 0u);
  EXPECT_EQ(reader->counters().truncations, 0u);
}

TEST_F(TailedLinesTest, ResumePointOfAnotherFileIsLostAndTheFileReadFromItsStart) {
  append(path_, "x\ny\n");
  FileResumePoint point;
  point.position = {identity_of_path(path_), 2};
  point.fingerprint = 12345;  // the inode was reused by a file with other content
  auto reader = make_reader({}, TailedFileReader::StartAt::kBeginning, {point});
  EXPECT_THAT(read_messages(*reader), ElementsAre("x", "y"));
  EXPECT_EQ(reader->counters().resume_lost, 1u);
  EXPECT_EQ(metrics_.resume_lost.value(), 1u);
}

TEST_F(TailedLinesTest, ResumeInAFileThatVanishedCountsLost) {
  append(path_, "fresh\n");
  FileResumePoint point;
  point.position = {FileIdentity{1, 424242}, 100};
  auto reader = make_reader({}, TailedFileReader::StartAt::kEnd, {point});
  EXPECT_THAT(read_messages(*reader), ElementsAre("fresh"));  // not from the end: a restart
  EXPECT_EQ(reader->counters().resume_lost, 1u);
}

TEST_F(TailedLinesTest, ReleasedReaderReopensAtItsPosition) {
  append(path_, "a\n");
  auto reader = make_reader();
  EXPECT_THAT(read_messages(*reader), ElementsAre("a"));
  ASSERT_TRUE(reader->can_release());
  EXPECT_FALSE(reader->may_have_news());
  reader->release();
  EXPECT_EQ(reader->open_file_count(), 0u);
  EXPECT_FALSE(reader->may_have_news());
  append(path_, "b\n");
  EXPECT_TRUE(reader->may_have_news());
  EXPECT_THAT(read_messages(*reader), ElementsAre("b"));
  EXPECT_EQ(reader->open_file_count(), 1u);
}

TEST_F(TailedLinesTest, PathThatNeverExistedIsGone) {
  auto reader = make_reader();
  EXPECT_THAT(read(*reader), IsEmpty());
  EXPECT_EQ(last_progress_, Progress::kGone);
}

}  // namespace
}  // namespace lc::file_input::testing
