#include "buffer/disk_buffer/disk_buffer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "buffer/disk_buffer/buffer_test_records.hpp"
#include "buffer/disk_buffer/file_size_limit.hpp"
#include "buffer/disk_buffer/segment_files.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using Status = DiskBufferAppendResult::Status;
using testing::bytes_of_segments;
using testing::file_size;
using testing::make_container;
using testing::make_records;
using testing::same_record;
using testing::segment_names;

class DiskBufferTest : public ::testing::Test {
 protected:
  DiskBufferOptions options(std::uint64_t max_segment = 1 << 20,
                            std::uint64_t max_total = 64 << 20) {
    DiskBufferOptions o;
    o.directory = dir_;
    o.sink_name = "loki";
    o.max_segment_bytes = max_segment;
    o.max_total_bytes = max_total;
    o.fsync = DiskBufferOptions::Fsync::kEveryAppend;
    return o;
  }
  std::unique_ptr<DiskBuffer> open(const DiskBufferOptions& o) {
    metrics_ = std::make_unique<MetricsRegistry>();  // each run of the agent starts at zero
    return std::make_unique<DiskBuffer>(o, *metrics_);
  }
  std::unique_ptr<DiskBuffer> open() { return open(options()); }

  std::uint64_t counter(const std::string& name) {
    return metrics_->counter(name, "", {{"sink", "loki"}}).value();
  }
  std::int64_t gauge(const std::string& name) {
    return metrics_->gauge(name, "", {{"sink", "loki"}}).value();
  }
  // Everything unread, in order, committed.
  std::vector<LogRecord> drain(DiskBuffer& buffer, std::size_t max_records = 3) {
    std::vector<LogRecord> all;
    for (;;) {
      DiskBufferBatch batch = buffer.read_next(max_records, 1 << 20);
      EXPECT_FALSE(batch.error) << batch.error.message();
      if (batch.records.empty()) return all;
      EXPECT_FALSE(buffer.commit(batch.end));
      for (LogRecord& record : batch.records) all.push_back(std::move(record));
    }
  }
  void expect_same(const std::vector<LogRecord>& got, const std::vector<LogRecord>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(same_record(got[i], want[i])) << "record " << i << ": " << got[i].message;
    }
  }

  testing::TempDirectory temp_;
  const std::string dir_ = temp_ / "buffer";
  std::unique_ptr<MetricsRegistry> metrics_;
  const ContainerMetadataPtr web_ = make_container("web");
  const ContainerMetadataPtr db_ = make_container("db");
};

TEST_F(DiskBufferTest, ReadsBackEveryFieldInOrder) {
  auto buffer = open();
  auto first = make_records(web_, 0, 4);
  first.push_back(make_records(nullptr, 4, 1)[0]);
  const auto second = make_records(db_, 5, 3);
  ASSERT_TRUE(buffer->append(first).ok());
  ASSERT_TRUE(buffer->append(second).ok());
  EXPECT_EQ(buffer->records_pending(), 8u);
  EXPECT_EQ(counter("log_capturer_disk_buffer_records_appended_total"), 8u);
  EXPECT_EQ(gauge("log_capturer_disk_buffer_records_pending"), 8);

  std::vector<LogRecord> want = first;
  want.insert(want.end(), second.begin(), second.end());
  expect_same(drain(*buffer), want);
  EXPECT_EQ(buffer->records_pending(), 0u);
  EXPECT_EQ(gauge("log_capturer_disk_buffer_records_pending"), 0);
  EXPECT_EQ(counter("log_capturer_disk_buffer_records_replayed_total"), 0u);
  EXPECT_TRUE(buffer->read_next(10, 1 << 20).records.empty());
}

TEST_F(DiskBufferTest, ReadNextStopsAtMaxRecordsAndMaxBytes) {
  auto buffer = open();
  ASSERT_TRUE(buffer->append(make_records(web_, 0, 10, 100)).ok());
  EXPECT_EQ(buffer->read_next(4, 1 << 20).records.size(), 4u);
  EXPECT_EQ(buffer->read_next(100, 250).records.size(), 3u);  // 100-byte messages: 300 >= 250
  EXPECT_EQ(buffer->read_next(100, 1).records.size(), 1u);    // always at least one
  EXPECT_EQ(buffer->read_next(100, 1 << 20).records.size(), 2u);
}

TEST_F(DiskBufferTest, RestartReplaysExactlyTheUncommittedRecordsInOrder) {
  const auto records = make_records(web_, 0, 10);
  {
    auto buffer = open();
    for (std::size_t i = 0; i < records.size(); i += 2) {
      ASSERT_TRUE(buffer->append(std::span(records).subspan(i, 2)).ok());
    }
    const DiskBufferBatch acknowledged = buffer->read_next(4, 1 << 20);
    ASSERT_EQ(acknowledged.records.size(), 4u);
    ASSERT_FALSE(buffer->commit(acknowledged.end));
    // In flight when the agent dies: read, never committed.
    ASSERT_EQ(buffer->read_next(3, 1 << 20).records.size(), 3u);
    EXPECT_EQ(buffer->records_pending(), 6u);
  }
  auto buffer = open();
  EXPECT_EQ(buffer->records_pending(), 6u);
  EXPECT_EQ(gauge("log_capturer_disk_buffer_records_pending"), 6);
  const auto more = make_records(db_, 10, 2);
  ASSERT_TRUE(buffer->append(more).ok());
  std::vector<LogRecord> want(records.begin() + 4, records.end());
  want.insert(want.end(), more.begin(), more.end());
  expect_same(drain(*buffer), want);
  EXPECT_EQ(counter("log_capturer_disk_buffer_records_replayed_total"), 6u);
  EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_truncations_total"), 0u);

  buffer.reset();
  buffer = open();  // everything committed: nothing comes back
  EXPECT_EQ(buffer->records_pending(), 0u);
  EXPECT_TRUE(buffer->read_next(10, 1 << 20).records.empty());
}

TEST_F(DiskBufferTest, CommitDeletesFullyConsumedSegments) {
  auto buffer = open(options(4096, 1 << 20));
  for (std::uint32_t i = 0; i < 20; ++i) {
    ASSERT_TRUE(buffer->append(make_records(web_, i * 5, 5, 200)).ok());
  }
  const std::size_t segments = segment_names(dir_).size();
  EXPECT_GE(segments, 5u);
  EXPECT_EQ(buffer->bytes_on_disk(), bytes_of_segments(dir_));
  EXPECT_EQ(gauge("log_capturer_disk_buffer_bytes"),
            static_cast<std::int64_t>(bytes_of_segments(dir_)));

  // Half read and committed: the segments before the cursor are gone.
  for (int i = 0; i < 10; ++i) {
    DiskBufferBatch batch = buffer->read_next(5, 1 << 20);
    ASSERT_FALSE(buffer->commit(batch.end));
  }
  EXPECT_LT(segment_names(dir_).size(), segments);
  EXPECT_GT(segment_names(dir_).size(), 1u);
  EXPECT_EQ(buffer->bytes_on_disk(), bytes_of_segments(dir_));

  EXPECT_EQ(drain(*buffer).size(), 50u);
  EXPECT_EQ(segment_names(dir_).size(), 1u);  // only the segment being written
  EXPECT_EQ(buffer->bytes_on_disk(), bytes_of_segments(dir_));
  EXPECT_EQ(gauge("log_capturer_disk_buffer_bytes"),
            static_cast<std::int64_t>(bytes_of_segments(dir_)));
}

TEST_F(DiskBufferTest, RefusesAppendsBeyondMaxTotalBytesUntilCommitsFreeRoom) {
  auto buffer = open(options(4096, 16384));
  std::uint32_t appended = 0;
  DiskBufferAppendResult result;
  while ((result = buffer->append(make_records(web_, appended, 2, 300))).ok()) appended += 2;
  EXPECT_EQ(result.status, Status::kFull);
  EXPECT_EQ(counter("log_capturer_disk_buffer_appends_refused_total"), 1u);
  EXPECT_LE(buffer->bytes_on_disk(), 16384u);
  EXPECT_LE(bytes_of_segments(dir_), 16384u);
  EXPECT_EQ(buffer->records_pending(), appended);

  EXPECT_EQ(drain(*buffer, 2).size(), appended);
  EXPECT_TRUE(buffer->append(make_records(web_, appended, 2, 300)).ok());
  EXPECT_EQ(drain(*buffer).size(), 2u);
}

TEST_F(DiskBufferTest, RefusesABatchThatCanNeverFit) {
  auto buffer = open(options(4096, 16384));
  EXPECT_EQ(buffer->append(make_records(web_, 0, 1, 9000)).status, Status::kTooLarge);
  EXPECT_EQ(buffer->records_pending(), 0u);
  EXPECT_TRUE(buffer->append(make_records(web_, 0, 1, 100)).ok());  // the encoder is intact
  EXPECT_EQ(drain(*buffer).size(), 1u);
}

TEST_F(DiskBufferTest, TornTailAtEveryByteOfTheLastRecordIsCutAndEarlierRecordsSurvive) {
  const auto records = make_records(web_, 0, 4);
  std::string segment;
  std::uint64_t last_start = 0;
  {
    auto buffer = open();
    ASSERT_TRUE(buffer->append(std::span(records).first(3)).ok());
    segment = dir_ + "/" + segment_names(dir_).back();
    last_start = file_size(segment);
    ASSERT_TRUE(buffer->append(std::span(records).subspan(3)).ok());
  }
  const std::uint64_t full = file_size(segment);
  ASSERT_GT(full, last_start + 8);
  const std::string pristine = temp_ / "pristine";
  std::filesystem::copy(dir_, pristine, std::filesystem::copy_options::recursive);
  for (std::uint64_t cut = last_start; cut < full; ++cut) {
    SCOPED_TRACE("file cut to " + std::to_string(cut) + " of " + std::to_string(full));
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(pristine, dir_, std::filesystem::copy_options::recursive);
    std::filesystem::resize_file(segment, cut);
    auto buffer = open();
    EXPECT_EQ(buffer->records_pending(), 3u);
    EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_truncations_total"),
              cut > last_start ? 1u : 0u);
    EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_skips_total"), 0u);
    EXPECT_EQ(file_size(segment), last_start);  // cut at the end of the last intact record
    expect_same(drain(*buffer), std::vector<LogRecord>(records.begin(), records.begin() + 3));
  }
}

TEST_F(DiskBufferTest, CorruptRecordInTheMiddleIsSkippedAndTheRecordsAfterItKept) {
  auto records = make_records(web_, 0, 3, 50);
  for (LogRecord& record : records) record.file_source = nullptr;  // one frame per append
  std::string segment;
  std::uint64_t middle_start = 0;
  std::uint64_t middle_end = 0;
  {
    auto buffer = open();
    ASSERT_TRUE(buffer->append(std::span(records).first(1)).ok());
    segment = dir_ + "/" + segment_names(dir_).back();
    middle_start = file_size(segment);
    ASSERT_TRUE(buffer->append(std::span(records).subspan(1, 1)).ok());
    middle_end = file_size(segment);
    ASSERT_TRUE(buffer->append(std::span(records).subspan(2)).ok());
  }
  const std::string pristine = temp_ / "pristine";
  std::filesystem::copy(dir_, pristine, std::filesystem::copy_options::recursive);
  // A flipped bit in the payload (bad checksum), in the checksum, and in the length field.
  for (const std::uint64_t at : {middle_start + 30, middle_start + 5, middle_start + 1}) {
    SCOPED_TRACE("byte flipped at " + std::to_string(at));
    std::filesystem::remove_all(dir_);
    std::filesystem::copy(pristine, dir_, std::filesystem::copy_options::recursive);
    {
      std::fstream file(segment, std::ios::in | std::ios::out | std::ios::binary);
      file.seekg(static_cast<std::streamoff>(at));
      const char byte = static_cast<char>(file.get());
      file.seekp(static_cast<std::streamoff>(at));
      file.put(static_cast<char>(byte ^ 0x10));
    }
    auto buffer = open();
    EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_skips_total"), 1u);
    EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_truncations_total"), 0u);
    EXPECT_EQ(buffer->records_pending(), 2u);
    EXPECT_GT(file_size(segment), middle_end);  // nothing cut
    expect_same(drain(*buffer), {records[0], records[2]});
  }
}

TEST_F(DiskBufferTest, FailedWriteLeavesNoPartialRecordAndCanBeRetried) {
  auto buffer = open();
  const auto before = make_records(web_, 0, 2);
  ASSERT_TRUE(buffer->append(before).ok());
  const std::string segment = dir_ + "/" + segment_names(dir_).back();
  const std::uint64_t size = file_size(segment);

  testing::ScopedFileSizeLimit full_disk(size + 200);  // room for part of the batch only
  ASSERT_TRUE(full_disk.applied());
  const auto big = make_records(db_, 2, 20, 100);
  const DiskBufferAppendResult failed = buffer->append(big);
  EXPECT_EQ(failed.status, Status::kWriteError);
  EXPECT_EQ(failed.error, std::errc::file_too_large) << failed.error.message();
  EXPECT_EQ(file_size(segment), size);  // cut back: no half record
  EXPECT_EQ(counter("log_capturer_disk_buffer_write_errors_total"), 1u);
  EXPECT_EQ(buffer->records_pending(), 2u);
  full_disk.lift();

  ASSERT_TRUE(buffer->append(big).ok());  // the retry defines db again, consistently
  buffer.reset();
  buffer = open();
  EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_truncations_total"), 0u);
  EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_skips_total"), 0u);
  std::vector<LogRecord> want = before;
  want.insert(want.end(), big.begin(), big.end());
  expect_same(drain(*buffer), want);
}

TEST_F(DiskBufferTest, UnreadableStateFileReplaysEverythingInsteadOfLosingRecords) {
  const auto records = make_records(web_, 0, 6);
  {
    auto buffer = open();
    ASSERT_TRUE(buffer->append(records).ok());
    ASSERT_FALSE(buffer->commit(buffer->read_next(4, 1 << 20).end));
  }
  std::ofstream(dir_ + "/committed.json", std::ios::trunc) << "{not json";
  auto buffer = open();
  EXPECT_EQ(buffer->records_pending(), 6u);
  expect_same(drain(*buffer), records);
}

TEST_F(DiskBufferTest, SegmentsWithoutRecordsAreRemovedAtStart) {
  { auto buffer = open(); }
  { auto buffer = open(); }
  auto buffer = open();
  EXPECT_EQ(segment_names(dir_).size(), 1u);  // not one more per restart
}

TEST_F(DiskBufferTest, UnreadableSegmentIsSetAsideAndTheOthersRead) {
  const auto records = make_records(web_, 0, 4, 3000);
  {
    auto buffer = open(options(4096, 1 << 20));
    for (const LogRecord& record : records) ASSERT_TRUE(buffer->append(std::span(&record, 1)).ok());
  }
  const std::vector<std::string> names = segment_names(dir_);
  ASSERT_GE(names.size(), 4u);
  {
    std::fstream file(dir_ + "/" + names[1], std::ios::in | std::ios::out | std::ios::binary);
    file.put('X');  // the magic
  }
  auto buffer = open(options(4096, 1 << 20));
  EXPECT_EQ(counter("log_capturer_disk_buffer_corrupt_skips_total"), 1u);
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/" + names[1] + ".corrupt"));
  expect_same(drain(*buffer), {records[0], records[2], records[3]});
}

TEST_F(DiskBufferTest, CommitOutOfOrderIsRefused) {
  auto buffer = open();
  ASSERT_TRUE(buffer->append(make_records(web_, 0, 4)).ok());
  const DiskBufferBatch first = buffer->read_next(2, 1 << 20);
  const DiskBufferBatch second = buffer->read_next(2, 1 << 20);
  ASSERT_FALSE(buffer->commit(second.end));
  EXPECT_EQ(buffer->commit(first.end), std::errc::invalid_argument);
  DiskBufferCursor ahead = second.end;
  ++ahead.ordinal;
  EXPECT_EQ(buffer->commit(ahead), std::errc::invalid_argument);
  EXPECT_EQ(buffer->records_pending(), 0u);
}

TEST_F(DiskBufferTest, EveryFsyncPolicyKeepsTheRecords) {
  for (const auto policy :
       {DiskBufferOptions::Fsync::kInterval, DiskBufferOptions::Fsync::kNever}) {
    std::filesystem::remove_all(dir_);
    DiskBufferOptions o = options();
    o.fsync = policy;
    const auto records = make_records(web_, 0, 5);
    {
      auto buffer = open(o);
      ASSERT_TRUE(buffer->append(records).ok());
      ASSERT_FALSE(buffer->commit(buffer->read_next(2, 1 << 20).end));
      EXPECT_FALSE(buffer->flush());
    }
    auto buffer = open(o);
    expect_same(drain(*buffer), std::vector<LogRecord>(records.begin() + 2, records.end()));
  }
}

TEST_F(DiskBufferTest, BadOptionsAreRefusedWithAClearMessage) {
  try {
    open(options(1 << 20, 1 << 20));
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("at least twice max_segment_bytes"), std::string::npos);
  }
  EXPECT_THROW(open(options(100, 1 << 20)), std::invalid_argument);
}

TEST_F(DiskBufferTest, UnusableDirectoryThrowsClearError) {
  std::ofstream(temp_ / "a-file") << "x";
  DiskBufferOptions o = options();
  o.directory = temp_ / "a-file";
  try {
    open(o);
    FAIL() << "expected std::system_error";
  } catch (const std::system_error& e) {
    EXPECT_NE(std::string(e.what()).find("disk buffer (sink loki)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lc
