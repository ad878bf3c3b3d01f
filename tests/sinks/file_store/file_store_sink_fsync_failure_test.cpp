#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "core/health_registry.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "support/scripted_file_sync.hpp"
#include "support/temp_directory.hpp"

// A failed fsync of a store file is never forgotten (docs/file-store.md, "fsync failures"):
// the bytes written since the last good fsync go again into a new file, and flush() - which
// the checkpoint saver calls before saving the store cursor - succeeds only once that file is
// synced. The kernel reports a lost writeback once, so ScriptedFileSync fails one call and
// lets the next succeed, as Linux does.

namespace lc {
namespace {

using Fsync = FileStoreOptions::Fsync;
constexpr TimestampNs kBaseTime = 1'700'000'000'000'000'000;
const std::string kHealth = "sink.file_store.durability";

std::vector<LogRecord> make_batch(TimestampNs first_time, std::size_t count) {
  auto container = std::make_shared<ContainerMetadata>();
  container->id = std::string(64, 'c');
  container->name = "web";
  std::vector<LogRecord> batch(count);
  for (std::size_t i = 0; i < count; ++i) {
    batch[i].time = first_time + static_cast<TimestampNs>(i);
    batch[i].container = container;
    batch[i].message = "message " + std::to_string(first_time % 1000000 + i);
  }
  return batch;
}

std::string encoded(std::initializer_list<const std::vector<LogRecord>*> batches) {
  NdjsonRecordEncoder encoder;
  std::string out;
  for (const auto* batch : batches) {
    for (const auto& record : *batch) encoder.append(out, record);
  }
  return out;
}

class FileStoreFsyncFailureTest : public ::testing::Test {
 protected:
  FileStoreOptions config(Fsync fsync, std::uint64_t max_file_bytes = 1 << 20) {
    FileStoreOptions c;
    c.fsync = fsync;
    c.fsync_interval = std::chrono::hours(1);  // only flush() syncs, unless a test says so
    c.max_file_bytes = max_file_bytes;
    return c;
  }
  std::unique_ptr<FileStoreSink> open(const FileStoreOptions& c) {
    auto sink = std::make_unique<FileStoreSink>(c, dir_, metrics_, sync_);
    sink->report_health_to(health_);
    return sink;
  }
  std::string file(std::uint64_t seq) {
    char name[32];
    std::snprintf(name, sizeof(name), "/logs-%010llu.ndjson", static_cast<unsigned long long>(seq));
    return dir_ + name;
  }
  std::string contents(std::uint64_t seq) { return testing::read_whole_file(file(seq)); }
  std::uint64_t failures() {
    return metrics_.counter("log_capturer_file_store_fsync_failures_total", "").value();
  }
  bool healthy() { return health_.snapshot().at(kHealth).healthy; }
  // What store recovery after a restart finds past `from`, as (time) in order.
  std::vector<TimestampNs> recovered_after(const StoreCursor& from) {
    MetricsRegistry restart_metrics;
    FileStoreSink restarted(config(Fsync::kInterval), dir_, restart_metrics);
    std::vector<TimestampNs> times;
    restarted.scan_since(from, [&](const StoredRecord& record) { times.push_back(record.time); });
    return times;
  }
  static std::vector<TimestampNs> times_of(
      std::initializer_list<const std::vector<LogRecord>*> batches) {
    std::vector<TimestampNs> times;
    for (const auto* batch : batches) {
      for (const auto& record : *batch) times.push_back(record.time);
    }
    return times;
  }

  testing::TempDirectory temp_;
  std::string dir_ = temp_ / "store";
  MetricsRegistry metrics_;
  HealthRegistry health_;
  testing::ScriptedFileSync sync_;
  const std::vector<LogRecord> a_ = make_batch(kBaseTime, 3);
  const std::vector<LogRecord> b_ = make_batch(kBaseTime + 100, 4);
  const std::vector<LogRecord> c_ = make_batch(kBaseTime + 200, 2);
  const std::vector<LogRecord> d_ = make_batch(kBaseTime + 300, 5);
};

// The checkpoint saver's fsync (flush) fails: the next one must not pass the data, though the
// kernel would now answer success; the data goes again into file 2, byte for byte.
TEST_F(FileStoreFsyncFailureTest, FailedFlushUnderIntervalWritesTheUnsyncedBytesIntoANewFile) {
  auto sink = open(config(Fsync::kInterval));
  ASSERT_TRUE(sink->write_batch(a_).ok());
  sink->flush();  // a good fsync: a_ is durable
  const StoreCursor saved = sink->cursor();
  ASSERT_TRUE(sink->write_batch(b_).ok());
  ASSERT_TRUE(sink->write_batch(c_).ok());
  sync_.fail_call(1);
  EXPECT_THROW(sink->flush(), std::system_error);
  EXPECT_EQ(failures(), 1u);
  EXPECT_FALSE(healthy());
  EXPECT_NE(health_.to_json().find("\"degraded\""), std::string::npos);

  sink->flush();  // the rewrite, synced: now a checkpoint may count on b_ and c_
  EXPECT_EQ(contents(1), encoded({&a_}));
  EXPECT_EQ(contents(2), encoded({&b_, &c_}));
  EXPECT_EQ(sink->cursor(), (StoreCursor{2, encoded({&b_, &c_}).size()}));
  EXPECT_EQ(failures(), 1u);
  EXPECT_TRUE(healthy());
  EXPECT_EQ(metrics_.counter("log_capturer_file_store_fsync_rewrites_total", "").value(), 1u);

  ASSERT_TRUE(sink->write_batch(d_).ok());
  sink->flush();
  EXPECT_EQ(contents(2), encoded({&b_, &c_, &d_}));
  sink.reset();
  // A crash before the next checkpoint: recovery from the last saved cursor finds each record
  // once, not the poisoned copy in file 1 as well.
  EXPECT_EQ(recovered_after(saved), times_of({&b_, &c_, &d_}));
}

// The same when the fsync that fails is the interval's, after a write: the batch is delivered
// (its bytes are kept), and the next write first puts them into a new file.
TEST_F(FileStoreFsyncFailureTest, FailedIntervalFsyncAfterAWriteIsRewrittenBeforeTheNextWrite) {
  FileStoreOptions c = config(Fsync::kInterval);
  c.fsync_interval = std::chrono::milliseconds{0};  // every write is due for an fsync
  auto sink = open(c);
  ASSERT_TRUE(sink->write_batch(a_).ok());
  sync_.fail_call(1);
  ASSERT_TRUE(sink->write_batch(b_).ok());
  EXPECT_EQ(failures(), 1u);
  EXPECT_FALSE(healthy());
  EXPECT_THROW(
      {
        sync_.fail_call(1);  // the rewrite's cut of file 1 cannot be synced either
        sink->flush();
      },
      std::system_error);
  EXPECT_EQ(failures(), 2u);
  EXPECT_FALSE(healthy());

  ASSERT_TRUE(sink->write_batch(c_).ok());
  EXPECT_EQ(contents(1), encoded({&a_}));
  EXPECT_EQ(contents(2), encoded({&b_, &c_}));
  EXPECT_EQ(sink->cursor(), (StoreCursor{2, encoded({&b_, &c_}).size()}));
  EXPECT_TRUE(healthy());
  sink.reset();
  EXPECT_EQ(recovered_after({1, encoded({&a_}).size()}), times_of({&b_, &c_}));
}

// Rotation fsyncs the file it leaves; if that fails, the file must not be left behind as
// durable: rotation waits, and the rewrite starts the next file with what it held unsynced.
TEST_F(FileStoreFsyncFailureTest, FailedFsyncAtRotationIsRewrittenIntoTheNextFile) {
  const std::uint64_t max_bytes = encoded({&a_, &b_}).size() - 1;
  auto sink = open(config(Fsync::kInterval, max_bytes));
  ASSERT_TRUE(sink->write_batch(a_).ok());
  sync_.fail_call(1);
  ASSERT_TRUE(sink->write_batch(b_).ok());  // reaches max_file_bytes: rotation's fsync fails
  EXPECT_EQ(failures(), 1u);
  EXPECT_FALSE(healthy());
  EXPECT_EQ(sink->cursor().file_seq, 1u);

  sink->flush();
  EXPECT_EQ(contents(1), "");  // no good fsync ever covered it
  EXPECT_EQ(contents(2), encoded({&a_, &b_}));
  EXPECT_EQ(sink->cursor(), (StoreCursor{2, encoded({&a_, &b_}).size()}));
  EXPECT_TRUE(healthy());
  EXPECT_EQ(failures(), 1u);
  sink.reset();
  EXPECT_EQ(recovered_after({1, 0}), times_of({&a_, &b_}));
}

// Under every_batch the failed batch is answered retry; its retry goes into a new file, so
// the poisoned file is never trusted again.
TEST_F(FileStoreFsyncFailureTest, FailedFsyncUnderEveryBatchRetriesTheBatchInANewFile) {
  auto sink = open(config(Fsync::kEveryBatch));
  ASSERT_TRUE(sink->write_batch(a_).ok());
  sync_.fail_call(1);
  EXPECT_EQ(sink->write_batch(b_).kind, SinkWriteOutcome::Kind::kRetry);
  EXPECT_EQ(failures(), 1u);
  EXPECT_FALSE(healthy());
  EXPECT_EQ(sink->cursor(), (StoreCursor{1, encoded({&a_}).size()}));

  ASSERT_TRUE(sink->write_batch(b_).ok());
  EXPECT_EQ(contents(1), encoded({&a_}));
  EXPECT_EQ(contents(2), encoded({&b_}));
  EXPECT_EQ(sink->cursor(), (StoreCursor{2, encoded({&b_}).size()}));
  EXPECT_TRUE(healthy());
  EXPECT_EQ(failures(), 1u);
  sink.reset();
  EXPECT_EQ(recovered_after({1, encoded({&a_}).size()}), times_of({&b_}));
}

// The new file's own fsync fails: it is discarded and the rewrite retried into a fresh one;
// until then no flush succeeds.
TEST_F(FileStoreFsyncFailureTest, RewriteWhoseFsyncFailsIsRetriedAndFlushFailsUntilThen) {
  auto sink = open(config(Fsync::kInterval));
  ASSERT_TRUE(sink->write_batch(a_).ok());
  sink->flush();
  ASSERT_TRUE(sink->write_batch(b_).ok());
  sync_.fail_call(1);
  EXPECT_THROW(sink->flush(), std::system_error);
  sync_.fail_call(2);  // the cut of file 1 syncs; the new file's fsync fails
  EXPECT_THROW(sink->flush(), std::system_error);
  EXPECT_EQ(failures(), 2u);
  EXPECT_FALSE(std::filesystem::exists(file(2)));
  EXPECT_FALSE(healthy());

  sink->flush();
  EXPECT_EQ(contents(1), encoded({&a_}));
  EXPECT_EQ(contents(2), encoded({&b_}));
  EXPECT_TRUE(healthy());
}

}  // namespace
}  // namespace lc
