#include "topology/store_recovery.hpp"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "buffer/checkpoint_store.hpp"
#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/file_checkpoints.hpp"
#include "pipeline/loop_thread.hpp"
#include "pipeline/pipeline.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::TempDirectory;
using Positions = std::map<std::string, ContainerPosition>;

const std::string kA(64, 'a');
const std::string kB(64, 'b');
const std::string kC(64, 'c');
constexpr TimestampNs kT = 1'700'000'000'000'000'000;

ContainerMetadataPtr container(const std::string& id) {
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = id;
  metadata->name = "c-" + id.substr(0, 4);
  metadata->image = "busybox";
  return metadata;
}

// Records of one container as a stream decodes them: index_at_time counts records sharing a
// timestamp, continuing from `after` (the position before the first of them).
std::vector<LogRecord> records(const std::string& id, const std::vector<TimestampNs>& times,
                               StreamPosition after = {}, LogStream stream = LogStream::kStdout) {
  const auto owner = container(id);
  std::vector<LogRecord> out;
  for (const TimestampNs time : times) {
    LogRecord record;
    record.container = owner;
    record.stream = stream;
    record.time = time;
    record.index_at_time = time == after.time ? after.count_at_time : 0;
    record.message = "line at " + std::to_string(time - kT);
    after = StreamPosition::after(time, record.index_at_time);
    out.push_back(std::move(record));
  }
  return out;
}

std::vector<LogRecord> concat(std::vector<LogRecord> a, const std::vector<LogRecord>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

class StoreRecoveryTest : public ::testing::Test {
 protected:
  std::string store_dir() const { return dir_ / "store"; }
  std::unique_ptr<FileStoreSink> open_store() {
    return std::make_unique<FileStoreSink>(config_, store_dir(), metrics_);
  }
  static void write(FileStoreSink& store, const std::vector<LogRecord>& batch) {
    ASSERT_TRUE(store.write_batch(batch).ok());
  }
  // Restart: a fresh store object over the same directory, then recovery.
  Positions recover(const CheckpointState& saved) {
    auto store = open_store();
    return recover_positions(saved, *store).containers;
  }

  TempDirectory dir_;
  FileStoreOptions config_;
  MetricsRegistry metrics_;
};

TEST_F(StoreRecoveryTest, NothingAfterTheCursorKeepsTheCheckpoint) {
  auto store = open_store();
  write(*store, records(kA, {kT, kT + 1}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT + 1, 1}}}}, store->cursor(), {}};
  store.reset();
  EXPECT_EQ(recover(saved), saved.containers);
}

TEST_F(StoreRecoveryTest, RecordsWithTheCheckpointTimestampAddToItsCount) {
  auto store = open_store();
  const auto before = records(kA, {kT, kT});
  write(*store, before);
  const CheckpointState saved{{{kA, ContainerPosition{{kT, 2}}}}, store->cursor(), {}};
  write(*store, records(kA, {kT, kT}, StreamPosition{kT, 2}));  // crash before the next save
  store.reset();
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT, 4}}}}));
}

TEST_F(StoreRecoveryTest, NewerTimestampsMoveThePositionAndRestartTheCount) {
  auto store = open_store();
  write(*store, records(kA, {kT}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT, 1}}}}, store->cursor(), {}};
  write(*store, records(kA, {kT + 5, kT + 9, kT + 9, kT + 9}));
  store.reset();
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT + 9, 3}}}}));
}

TEST_F(StoreRecoveryTest, ContainerAbsentFromTheCheckpointGetsAPosition) {
  auto store = open_store();
  write(*store, records(kA, {kT}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT, 1}}}}, store->cursor(), {}};
  write(*store, concat(records(kB, {kT + 3, kT + 3}), records(kC, {kT + 1})));
  store.reset();
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT, 1}}},
                                       {kB, ContainerPosition{{kT + 3, 2}}},
                                       {kC, ContainerPosition{{kT + 1, 1}}}}));
}

TEST_F(StoreRecoveryTest, RecordsBeforeTheCursorAreNotCountedTwice) {
  auto store = open_store();
  write(*store, records(kA, {kT, kT, kT}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT, 3}}}}, store->cursor(), {}};
  store.reset();
  EXPECT_EQ(recover(saved), saved.containers);  // the three lines at kT are not re-counted
}

TEST_F(StoreRecoveryTest, OlderRecordsAfterTheCursorDoNotMoveThePositionBack) {
  auto store = open_store();
  write(*store, records(kA, {kT + 10}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT + 10, 1}}}}, store->cursor(), {}};
  write(*store, records(kA, {kT + 2}));
  store.reset();
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT + 10, 1}}}}));
}

TEST_F(StoreRecoveryTest, NoCheckpointAtAllReplaysTheWholeStore) {
  auto store = open_store();
  write(*store, records(kA, {kT, kT + 1, kT + 1}));
  write(*store, records(kB, {kT + 7}));
  store.reset();
  EXPECT_EQ(recover(CheckpointState{}), (Positions{{kA, ContainerPosition{{kT + 1, 2}}},
                                                   {kB, ContainerPosition{{kT + 7, 1}}}}));
}

TEST_F(StoreRecoveryTest, ATornLastLineIsNotADeliveredRecord) {
  auto store = open_store();
  write(*store, records(kA, {kT}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT, 1}}}}, store->cursor(), {}};
  write(*store, records(kA, {kT + 1}));
  store.reset();
  // A write cut by the crash: the start of a record for kT + 2, no newline.
  std::string active;
  for (const auto& entry : std::filesystem::directory_iterator(store_dir())) {
    if (active.empty() || entry.path().string() > active) active = entry.path().string();
  }
  {
    std::ofstream out(active, std::ios::app | std::ios::binary);
    out << R"({"time":"2023-11-14T22:13:20.000000002Z","stream":"stdout","container_id":")" << kA;
  }
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT + 1, 1}}}}));
}

TEST_F(StoreRecoveryTest, RecordsInLaterFilesAfterRotationAreCounted) {
  config_.max_file_bytes = 300;  // every batch or two starts a new file
  auto store = open_store();
  write(*store, records(kA, {kT}));
  const CheckpointState saved{{{kA, ContainerPosition{{kT, 1}}}}, store->cursor(), {}};
  for (int i = 1; i <= 6; ++i) write(*store, records(kA, {kT + i}));
  write(*store, records(kB, {kT + 100}));
  store.reset();
  ASSERT_GT(std::distance(std::filesystem::directory_iterator(store_dir()),
                          std::filesystem::directory_iterator{}),
            2);
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT + 6, 1}}},
                                       {kB, ContainerPosition{{kT + 100, 1}}}}));
}

// The whole path: deliveries acknowledged and checkpointed, more deliveries acknowledged but
// not checkpointed, then kill -9. After the restart the positions are exactly those of the
// moment of the crash: nothing the store holds is read again, nothing is skipped.
TEST_F(StoreRecoveryTest, CrashBetweenAStoreWriteAndACheckpointSaveLosesNoPosition) {
  const std::string checkpoint_path = dir_ / "checkpoints.json";
  Positions at_crash;
  {
    auto store = open_store();
    CheckpointStore checkpoints(checkpoint_path);
    CheckpointTracker tracker;
    boost::asio::io_context unused;
    CheckpointSaver saver(unused.get_executor(), checkpoints, tracker, *store, 1s, metrics_);
    const auto deliver = [&](const std::vector<LogRecord>& batch) {
      write(*store, batch);
      tracker.acknowledge(batch);
    };
    deliver(concat(records(kA, {kT, kT, kT + 1}), records(kB, {kT})));
    ASSERT_TRUE(saver.save_now());
    deliver(records(kA, {kT + 1, kT + 1, kT + 2, kT + 2}, StreamPosition{kT + 1, 1}));
    deliver(records(kB, {kT, kT + 4}, StreamPosition{kT, 1}));
    deliver(records(kC, {kT + 3}));
    at_crash = tracker.positions();
    // kill -9: no save, objects dropped.
  }
  EXPECT_EQ(at_crash, (Positions{{kA, ContainerPosition{{kT + 2, 2}}},
                                 {kB, ContainerPosition{{kT + 4, 1}}},
                                 {kC, ContainerPosition{{kT + 3, 1}}}}));
  CheckpointStore checkpoints(checkpoint_path);
  const CheckpointState loaded = checkpoints.load();
  EXPECT_EQ(loaded.containers.at(kA), (ContainerPosition{{kT + 1, 1}}));
  EXPECT_EQ(recover(loaded), at_crash);
}

TEST_F(StoreRecoveryTest, RecordsOfTailedFilesMoveTheirFilePlace) {
  auto store = open_store();
  const auto source =
      std::make_shared<const FileSource>(FileSource{"/var/log/app.log", {}, "files"});
  std::vector<LogRecord> batch;
  for (int i = 0; i < 3; ++i) {
    LogRecord& record = batch.emplace_back();
    record.file_source = source;
    record.time = kT + i;
    record.message = "line " + std::to_string(i);
    record.file_position = FilePosition{FileIdentity{2049, 77}, 10u * (i + 1)};
    record.file_fingerprint = 0xabcdef;
  }
  const CheckpointState saved{{}, store->cursor(), {}};
  write(*store, concat(records(kA, {kT}), batch));
  store.reset();
  auto reopened = open_store();
  const CheckpointState recovered = recover_positions(saved, *reopened);
  const std::string key = file_checkpoint_key("/var/log/app.log", FileIdentity{2049, 77});
  const FileResumePoint& place = recovered.container_files.at(key);
  EXPECT_EQ(place.position, (FilePosition{FileIdentity{2049, 77}, 30}));
  EXPECT_EQ(place.fingerprint, 0xabcdefu);
  EXPECT_TRUE(recovered.containers.contains(key));
  EXPECT_EQ(recovered.containers.at(kA), (ContainerPosition{{kT, 1}}));
}

TEST_F(StoreRecoveryTest, EachStreamHasItsOwnPosition) {
  // stderr's line was written after stdout's but stamped earlier: each stream keeps its own.
  auto store = open_store();
  const CheckpointState saved{{}, store->cursor(), {}};
  write(*store, concat(records(kA, {kT + 10}), records(kA, {kT + 5}, {}, LogStream::kStderr)));
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT + 10, 1}, {kT + 5, 1}}}}));
}

TEST_F(StoreRecoveryTest, RecordsReadFromAJsonFileLogGiveTheirPlaceByBytes) {
  auto store = open_store();
  std::vector<LogRecord> batch = records(kA, {kT, kT + 1, kT + 2});
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].file_position = FilePosition{FileIdentity{2049, 77}, 100 * (i + 1)};
    batch[i].file_line_end = batch[i].file_position;
    batch[i].file_fingerprint = 0xabc;
  }
  // The last one was read while a line of the other stream was open: its resume place is
  // that line's start, its own end further on.
  batch[2].file_position.offset = 250;
  batch[2].file_line_end.offset = 400;
  // An unparsed line: its time is a neighbour's and moves no position.
  LogRecord unparsed = batch[0];
  unparsed.time = kT + 50;
  unparsed.time_estimated = true;
  unparsed.invalid = true;
  unparsed.file_position.offset = 500;
  unparsed.file_line_end.offset = 500;
  const CheckpointState saved{{}, store->cursor(), {}};
  write(*store, batch);
  store.reset();
  auto reopened = open_store();
  const CheckpointState recovered = recover_positions(saved, *reopened);
  const FileResumePoint& place = recovered.container_files.at(kA);
  EXPECT_EQ(place.position, (FilePosition{FileIdentity{2049, 77}, 250}));
  EXPECT_EQ(place.delivered_end(), (FilePosition{FileIdentity{2049, 77}, 400}));
  EXPECT_EQ(place.fingerprint, 0xabcu);
  EXPECT_EQ(recovered.containers.at(kA), (ContainerPosition{{kT + 2, 1}}));
  // The place and its position move together: the follower trusts the bytes alone.
  EXPECT_EQ(place.container_position, recovered.containers.at(kA));

  reopened->write_batch(std::vector<LogRecord>{unparsed});
  reopened.reset();
  auto again = open_store();
  EXPECT_EQ(recover_positions(saved, *again).containers.at(kA), (ContainerPosition{{kT + 2, 1}}));
}

// A group of 5 records split across batches of 3: the first 3 are in the store, the group is
// not acknowledged yet (it is, with its last record), and a checkpoint is saved in between.
// After a kill -9 there, the 3 stored records must be proven delivered exactly: neither read
// into the store again nor skipped.
TEST_F(StoreRecoveryTest, AGroupSplitAcrossBatchesIsStoredOnceAcrossAKill) {
  PipelineConfig config;
  config.batch_max_records = 3;
  config.flush_interval = std::chrono::hours(1);  // the last 2 records wait: the kill comes first
  config.flush_on_idle = false;
  const std::string checkpoint_path = dir_ / "checkpoints.json";
  testing::LoopThread sink_loop;
  auto store = open_store();
  CheckpointStore checkpoints(checkpoint_path);
  CheckpointTracker tracker;
  HealthRegistry health;
  Pipeline pipeline(config, sink_loop.executor(), *store, tracker, metrics_, health);
  CheckpointSaver saver(sink_loop.executor(), checkpoints, tracker, store.get(), 1s, metrics_);
  pipeline.start();
  ASSERT_TRUE(sink_loop.call([&] { return saver.save_now(); }));  // before the group

  std::vector<LogRecord> group = records(kA, {kT, kT + 1, kT + 2, kT + 3, kT + 4});
  tracker.on_submitted(kA, group.size(), group.back().position_after());
  testing::LoopThread input_loop;
  auto submitted = asio::co_spawn(input_loop.context(), pipeline.submit(group), asio::use_future);
  ASSERT_EQ(submitted.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(testing::eventually([&] { return store->cursor().offset > 0; }));
  ASSERT_TRUE(sink_loop.call([&] { return saver.save_now(); }));

  // kill -9 now: a restart loads the checkpoint and lets the store prove what it holds.
  const CheckpointState loaded = CheckpointStore(checkpoint_path).load();
  auto restarted = open_store();
  const Positions recovered = recover_positions(loaded, *restarted).containers;
  EXPECT_EQ(recovered.at(kA), group[2].position_after());

  pipeline.stop(std::chrono::steady_clock::now() + 5s);
  ASSERT_TRUE(testing::eventually([&] { return pipeline.stopped(); }));
  sink_loop.join();
  input_loop.join();
}

// During rotate_wait the rotated file and the new one are both read: a record of one must not
// take the other's place.
TEST_F(StoreRecoveryTest, RecordsOfTheRotatedAndTheNewFileOfAPathKeepAPlaceEach) {
  auto store = open_store();
  const auto source =
      std::make_shared<const FileSource>(FileSource{"/var/log/app.log", {}, "files"});
  const FileIdentity rotated{2049, 77};
  const FileIdentity current{2049, 78};
  std::vector<LogRecord> batch;
  for (const auto& [file, offset] : std::vector<std::pair<FileIdentity, std::uint64_t>>{
           {rotated, 110}, {current, 10}, {rotated, 120}, {current, 20}}) {
    LogRecord& record = batch.emplace_back();
    record.file_source = source;
    record.time = kT + offset;
    record.message = "line";
    record.file_position = FilePosition{file, offset};
    record.file_fingerprint = file.inode;
  }
  const CheckpointState saved{{}, store->cursor(), {}};
  write(*store, batch);
  store.reset();
  auto reopened = open_store();
  const CheckpointState recovered = recover_positions(saved, *reopened);
  EXPECT_EQ(recovered.container_files.size(), 2u);
  EXPECT_EQ(recovered.container_files.at(file_checkpoint_key("/var/log/app.log", rotated)).position,
            (FilePosition{rotated, 120}));
  EXPECT_EQ(recovered.container_files.at(file_checkpoint_key("/var/log/app.log", current)).position,
            (FilePosition{current, 20}));
}

TEST_F(StoreRecoveryTest, ARecordTheCheckpointHoldsDoesNotMoveItsPlaceBack) {
  // The store cursor lags the checkpoint (it moves at group boundaries only): the scan meets
  // records the checkpoint already holds; their older place must not replace the newer one.
  auto store = open_store();
  const StoreCursor cursor = store->cursor();
  std::vector<LogRecord> batch = records(kA, {kT, kT + 1});
  for (std::size_t i = 0; i < batch.size(); ++i) {
    batch[i].file_position = FilePosition{FileIdentity{2049, 77}, 100 * (i + 1)};
    batch[i].file_line_end = batch[i].file_position;
  }
  write(*store, batch);
  CheckpointState saved{{{kA, ContainerPosition{{kT + 5, 1}}}}, cursor, {}};
  saved.container_files[kA] =
      FileResumePoint{{{2049, 77}, 600}, 0, ContainerPosition{{kT + 5, 1}}, {}};
  store.reset();
  auto reopened = open_store();
  const CheckpointState recovered = recover_positions(saved, *reopened);
  EXPECT_EQ(recovered.containers.at(kA), (ContainerPosition{{kT + 5, 1}}));
  EXPECT_EQ(recovered.container_files.at(kA), saved.container_files.at(kA));
}

TEST_F(StoreRecoveryTest, LabelsNamedLikeRecordFieldsDoNotHideTheRecord) {
  auto store = open_store();
  auto labelled = std::make_shared<ContainerMetadata>(*container(kA));
  labelled->labels = {{"position", "left"}, {"rank", "3"}, {"unparsed", "true"}};
  std::vector<LogRecord> batch = records(kA, {kT, kT + 1});
  for (LogRecord& record : batch) record.container = labelled;
  const CheckpointState saved{{}, store->cursor(), {}};
  write(*store, batch);
  EXPECT_EQ(recover(saved), (Positions{{kA, ContainerPosition{{kT + 1, 1}}}}));
}

TEST_F(StoreRecoveryTest, AReusedInodeIsAnotherFile) {
  // dockerd's rotation deletes a file and the next one often gets its inode: a stored record at
  // a smaller offset of that inode, in a file with another first line, is newer, not older.
  auto store = open_store();
  const StoreCursor cursor = store->cursor();
  std::vector<LogRecord> batch = records(kA, {kT + 10});
  batch[0].file_position = FilePosition{FileIdentity{2049, 77}, 100};
  batch[0].file_line_end = batch[0].file_position;
  batch[0].file_fingerprint = 0xbbb;
  write(*store, batch);
  CheckpointState saved{{{kA, ContainerPosition{{kT + 5, 1}}}}, cursor, {}};
  saved.container_files[kA] =
      FileResumePoint{{{2049, 77}, 900}, 0xaaa, ContainerPosition{{kT + 5, 1}}, {}};
  store.reset();
  auto reopened = open_store();
  const CheckpointState recovered = recover_positions(saved, *reopened);
  EXPECT_EQ(recovered.container_files.at(kA).position, (FilePosition{{2049, 77}, 100}));
  EXPECT_EQ(recovered.container_files.at(kA).fingerprint, 0xbbbu);
}

}  // namespace
}  // namespace lc
