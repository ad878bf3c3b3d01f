#include "pipeline/checkpoint_saver.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "buffer/checkpoint_store.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/loop_thread.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::LoopThread;
using testing::TempDirectory;

const std::string kA(64, 'a');
const std::string kB(64, 'b');
constexpr TimestampNs kSaverStart = 1'700'000'000'000'000'000;

ContainerMetadataPtr container(const std::string& id) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = id;
  metadata->name = "c-" + id.substr(0, 4);
  metadata->image = "busybox";
  return metadata;
}

std::vector<LogRecord> batch_of(const ContainerMetadataPtr& owner, TimestampNs first, int count) {
  std::vector<LogRecord> batch(count);
  for (int i = 0; i < count; ++i) {
    batch[i].container = owner;
    batch[i].time = first + i;
    batch[i].message = "line " + std::to_string(i);
  }
  return batch;
}

class CheckpointSaverTest : public ::testing::Test {
 protected:
  CheckpointSaverTest()
      : store_(FileStoreOptions{}, dir_ / "store", metrics_),
        checkpoints_(dir_ / "checkpoints.json") {}

  // What the pipeline does for a batch: write it to the store, then acknowledge it.
  void deliver(const std::vector<LogRecord>& batch) {
    ASSERT_TRUE(store_.write_batch(batch).ok());
    tracker_.acknowledge(batch);
    store_.at_group_boundary();
  }
  CheckpointState saved() { return CheckpointStore(checkpoints_.path()).load(); }
  bool file_exists() { return std::filesystem::exists(checkpoints_.path()); }
  std::uint64_t saves() {
    return metrics_.counter("log_capturer_checkpoint_saves_total", "").value();
  }
  std::uint64_t errors() {
    return metrics_.counter("log_capturer_checkpoint_errors_total", "").value();
  }

  TempDirectory dir_;
  MetricsRegistry metrics_;
  FileStoreSink store_;
  CheckpointStore checkpoints_;
  CheckpointTracker tracker_;
  boost::asio::io_context unused_;  // save_now() is synchronous
};

TEST_F(CheckpointSaverTest, SavesDeliveredPositionsWithTheStoreCursor) {
  CheckpointSaver saver(unused_.get_executor(), checkpoints_, tracker_, store_, 1s, metrics_);
  deliver(batch_of(container(kA), kSaverStart, 3));
  tracker_.on_submitted(kB, 2,
                        ContainerPosition{{kSaverStart + 50, 1}});  // submitted, not delivered

  ASSERT_TRUE(saver.save_now());
  const CheckpointState state = saved();
  EXPECT_EQ(
      state.containers,
      (std::map<std::string, ContainerPosition>{{kA, ContainerPosition{{kSaverStart + 2, 1}}}}));
  EXPECT_EQ(state.store, store_.cursor());
  EXPECT_GT(state.store.offset, 0u);
  EXPECT_EQ(saves(), 1u);
  EXPECT_EQ(errors(), 0u);
}

TEST_F(CheckpointSaverTest, SavesOnlyWhenTheGenerationChanged) {
  CheckpointSaver saver(unused_.get_executor(), checkpoints_, tracker_, store_, 1s, metrics_);
  deliver(batch_of(container(kA), kSaverStart, 1));
  ASSERT_TRUE(saver.save_now());
  ASSERT_TRUE(file_exists());
  std::filesystem::remove(checkpoints_.path());

  EXPECT_TRUE(saver.save_now());  // nothing new: no write
  EXPECT_FALSE(file_exists());
  EXPECT_EQ(saves(), 1u);

  deliver(batch_of(container(kA), kSaverStart + 10, 2));
  ASSERT_TRUE(saver.save_now());
  ASSERT_TRUE(file_exists());
  EXPECT_EQ(saved().containers.at(kA), (ContainerPosition{{kSaverStart + 11, 1}}));
  EXPECT_EQ(saved().store, store_.cursor());
  EXPECT_EQ(saves(), 2u);
}

TEST_F(CheckpointSaverTest, FirstSaveHappensEvenWithNothingDelivered) {
  CheckpointSaver saver(unused_.get_executor(), checkpoints_, tracker_, store_, 1s, metrics_);
  ASSERT_TRUE(saver.save_now());
  EXPECT_TRUE(file_exists());
  EXPECT_TRUE(saved().containers.empty());
  EXPECT_EQ(saves(), 1u);
}

TEST_F(CheckpointSaverTest, RetiredContainerLeavesTheNextCheckpoint) {
  CheckpointSaver saver(unused_.get_executor(), checkpoints_, tracker_, store_, 1s, metrics_);
  deliver(batch_of(container(kA), kSaverStart, 1));
  deliver(batch_of(container(kB), kSaverStart, 1));
  ASSERT_TRUE(saver.save_now());
  EXPECT_EQ(saved().containers.size(), 2u);
  tracker_.retire(kA);
  ASSERT_TRUE(saver.save_now());
  EXPECT_EQ(saved().containers.size(), 1u);
  EXPECT_TRUE(saved().containers.contains(kB));
}

TEST_F(CheckpointSaverTest, FailedSaveIsCountedKeepsThePreviousFileAndIsRetried) {
  CheckpointStore unwritable(dir_ / "missing-directory/checkpoints.json");
  CheckpointSaver saver(unused_.get_executor(), unwritable, tracker_, store_, 1s, metrics_);
  deliver(batch_of(container(kA), kSaverStart, 1));
  EXPECT_FALSE(saver.save_now());
  EXPECT_EQ(errors(), 1u);
  EXPECT_EQ(saves(), 0u);

  std::filesystem::create_directory(dir_ / "missing-directory");
  EXPECT_TRUE(saver.save_now());  // the failed generation was not marked saved
  EXPECT_EQ(saves(), 1u);
  EXPECT_EQ(CheckpointStore(unwritable.path()).load().containers.at(kA),
            (ContainerPosition{{kSaverStart, 1}}));
}

TEST_F(CheckpointSaverTest, SavesPeriodicallyOnItsExecutorUntilStopped) {
  LoopThread sink_loop;
  auto saver = std::make_unique<CheckpointSaver>(sink_loop.executor(), checkpoints_, tracker_,
                                                 store_, 10ms, metrics_);
  sink_loop.call([&] {
    saver->start();
    return 0;
  });
  sink_loop.call([&] {
    deliver(batch_of(container(kA), kSaverStart, 2));
    return 0;
  });
  ASSERT_TRUE(eventually([&] {
    const CheckpointState state = saved();
    return state.containers.contains(kA) &&
           state.containers.at(kA) == ContainerPosition{{kSaverStart + 1, 1}};
  }));
  EXPECT_EQ(saved().store, store_.cursor());

  sink_loop.call([&] {
    saver->stop();
    return 0;
  });
  const auto saves_at_stop = saves();
  sink_loop.call([&] {
    deliver(batch_of(container(kA), kSaverStart + 100, 1));
    return 0;
  });
  EXPECT_FALSE(eventually([&] { return saves() > saves_at_stop; }, 100ms));
  // The final save, as the agent does after the sink loop ended.
  EXPECT_TRUE(saver->save_now());
  EXPECT_EQ(saved().containers.at(kA), (ContainerPosition{{kSaverStart + 100, 1}}));
  sink_loop.join();
  saver.reset();
}

}  // namespace
}  // namespace lc
