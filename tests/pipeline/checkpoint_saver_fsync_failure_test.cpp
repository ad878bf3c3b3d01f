#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "buffer/checkpoint_store.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "support/scripted_file_sync.hpp"
#include "support/temp_directory.hpp"

// The checkpoint saver fsyncs the store (flush) before saving its cursor. After a failed fsync
// the kernel answers the next one with success, so the store itself must refuse until what the
// failed fsync covered is written again: no saved checkpoint may pass it before that.

namespace lc {
namespace {

using namespace std::chrono_literals;
constexpr TimestampNs kT0 = 1'700'000'000'000'000'000;

std::vector<LogRecord> batch_of(TimestampNs first, int count) {
  auto owner = std::make_shared<ContainerMetadata>();
  owner->id = std::string(64, 'a');
  std::vector<LogRecord> batch(count);
  for (int i = 0; i < count; ++i) {
    batch[i].container = owner;
    batch[i].time = first + i;
    batch[i].message = "line " + std::to_string(i);
  }
  return batch;
}

TEST(CheckpointSaverFsyncFailureTest, NoCheckpointPassesRecordsWhoseFsyncFailedBeforeTheirRewrite) {
  testing::TempDirectory dir;
  MetricsRegistry metrics;
  testing::ScriptedFileSync sync;
  FileStoreOptions config;
  config.fsync = FileStoreOptions::Fsync::kInterval;
  config.fsync_interval = std::chrono::hours(1);
  FileStoreSink store(config, dir / "store", metrics, sync);
  CheckpointStore checkpoints(dir / "checkpoints.json");
  CheckpointTracker tracker;
  boost::asio::io_context unused;  // save_now() is synchronous
  CheckpointSaver saver(unused.get_executor(), checkpoints, tracker, store, 1s, metrics);
  const auto deliver = [&](const std::vector<LogRecord>& batch) {
    ASSERT_TRUE(store.write_batch(batch).ok());
    tracker.acknowledge(batch);
    store.at_group_boundary();  // as the lane does after a batch of whole groups
  };

  deliver(batch_of(kT0, 3));
  ASSERT_TRUE(saver.save_now());
  const CheckpointState before = CheckpointStore(checkpoints.path()).load();
  const auto second = batch_of(kT0 + 10, 2);
  deliver(second);
  sync.fail_call(1);
  EXPECT_FALSE(saver.save_now());
  EXPECT_EQ(CheckpointStore(checkpoints.path()).load().store, before.store);

  ASSERT_TRUE(saver.save_now());  // the rewrite into file 2 is synced: now it may
  const CheckpointState after = CheckpointStore(checkpoints.path()).load();
  EXPECT_EQ(after.store.file_seq, 2u);
  EXPECT_EQ(after.store, store.cursor());
  EXPECT_EQ(after.containers.at(std::string(64, 'a')), (ContainerPosition{{kT0 + 11, 1}}));
}

}  // namespace
}  // namespace lc
