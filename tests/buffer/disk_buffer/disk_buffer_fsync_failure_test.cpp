#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "buffer/disk_buffer/buffer_test_records.hpp"
#include "buffer/disk_buffer/disk_buffer.hpp"
#include "buffer/disk_buffer/segment_files.hpp"
#include "support/scripted_file_sync.hpp"
#include "support/temp_directory.hpp"

// A failed fsync of a disk buffer segment is never forgotten: the kernel reports a lost
// writeback once, so a later fsync of that segment would prove nothing. The segment is
// abandoned (appends go to a new one) and flush() - which checkpoints wait for - fails until
// every record the failed fsync should have covered has been delivered and committed.

namespace lc {
namespace {

using Status = DiskBufferAppendResult::Status;
using testing::make_container;
using testing::make_records;
using testing::segment_names;

class DiskBufferFsyncFailureTest : public ::testing::Test {
 protected:
  std::unique_ptr<DiskBuffer> open(DiskBufferOptions::Fsync fsync,
                                   std::uint64_t max_segment = 1 << 20) {
    DiskBufferOptions o;
    o.directory = dir_;
    o.sink_name = "loki";
    o.max_segment_bytes = max_segment;
    o.max_total_bytes = 64 << 20;
    o.fsync = fsync;
    o.fsync_interval = std::chrono::hours(1);  // only flush() syncs under kInterval
    return std::make_unique<DiskBuffer>(o, metrics_, sync_);
  }
  std::uint64_t failures() {
    return metrics_.counter("log_capturer_disk_buffer_fsync_failures_total", "", {{"sink", "loki"}})
        .value();
  }
  // Reads and commits `count` records, as the sink's acknowledgement does.
  void deliver(DiskBuffer& buffer, std::size_t count) {
    const DiskBufferBatch batch = buffer.read_next(count, 1 << 20);
    ASSERT_EQ(batch.records.size(), count);
    ASSERT_FALSE(buffer.commit(batch.end));
  }

  testing::TempDirectory temp_;
  const std::string dir_ = temp_ / "buffer";
  MetricsRegistry metrics_;
  testing::ScriptedFileSync sync_;
  const ContainerMetadataPtr web_ = make_container("web");
};

TEST_F(DiskBufferFsyncFailureTest, FailedFlushKeepsFailingUntilTheUnsyncedRecordsAreCommitted) {
  auto buffer = open(DiskBufferOptions::Fsync::kInterval);
  ASSERT_TRUE(buffer->append(make_records(web_, 0, 3)).ok());
  ASSERT_TRUE(buffer->append(make_records(web_, 3, 2)).ok());
  sync_.fail_call(1);
  EXPECT_TRUE(buffer->flush());
  EXPECT_EQ(failures(), 1u);
  EXPECT_TRUE(buffer->flush());  // the kernel would now say yes: the records are not durable

  ASSERT_TRUE(buffer->append(make_records(web_, 5, 2)).ok());
  EXPECT_EQ(segment_names(dir_).size(), 2u);  // the failed segment takes no more appends
  EXPECT_TRUE(buffer->flush());
  deliver(*buffer, 4);
  EXPECT_TRUE(buffer->flush());  // one of them is not delivered yet
  deliver(*buffer, 1);
  EXPECT_FALSE(buffer->flush());
  EXPECT_EQ(failures(), 1u);
}

TEST_F(DiskBufferFsyncFailureTest, FailedFsyncWhenStartingASegmentIsNotTakenAsDurable) {
  auto buffer = open(DiskBufferOptions::Fsync::kInterval, 4096);
  ASSERT_TRUE(buffer->append(make_records(web_, 0, 2, 1500)).ok());
  sync_.fail_call(1);  // the old segment's fsync before the new one starts
  ASSERT_TRUE(buffer->append(make_records(web_, 2, 2, 1500)).ok());
  EXPECT_EQ(segment_names(dir_).size(), 2u);
  EXPECT_EQ(failures(), 1u);
  EXPECT_TRUE(buffer->flush());
  deliver(*buffer, 2);
  EXPECT_FALSE(buffer->flush());
}

TEST_F(DiskBufferFsyncFailureTest, FailedFsyncUnderEveryAppendFailsTheAppendAndLeavesTheSegment) {
  auto buffer = open(DiskBufferOptions::Fsync::kEveryAppend);
  ASSERT_TRUE(buffer->append(make_records(web_, 0, 3)).ok());
  sync_.fail_call(1);
  EXPECT_EQ(buffer->append(make_records(web_, 3, 2)).status, Status::kWriteError);
  EXPECT_EQ(failures(), 1u);
  EXPECT_FALSE(buffer->flush());  // what was acknowledged had been synced
  ASSERT_TRUE(buffer->append(make_records(web_, 3, 2)).ok());
  EXPECT_EQ(segment_names(dir_).size(), 2u);
  deliver(*buffer, 5);
  EXPECT_FALSE(buffer->flush());
}

}  // namespace
}  // namespace lc
