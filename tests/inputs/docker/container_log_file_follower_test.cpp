#include "inputs/docker/container_log_file_follower.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "core/health_registry.hpp"
#include "docker/docker_client.hpp"
#include "inputs/docker/docker_input_metrics.hpp"
#include "inputs/json_file/container_log_file_reader.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "inputs/json_file/json_file_line_parser.hpp"
#include "inputs/json_file/json_file_test_support.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/delivery_receipt.hpp"
#include "pipeline/fake_sink.hpp"
#include "pipeline/loop_thread.hpp"
#include "pipeline/pipeline.hpp"

namespace lc::docker_input {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using json_file::testing::append;
using json_file::testing::entry;
using lc::testing::eventually;
using lc::testing::FakeSink;
using lc::testing::LoopThread;

constexpr TimestampNs kFollowStart = 1'795'412'851'000'000'000;
const std::string kId(64, 'a');

// Only inspect is used by a file follower (to confirm that a stopped container stays stopped).
class StoppedContainerClient : public docker::DockerClient {
 public:
  explicit StoppedContainerClient(ContainerMetadata container) : container_(std::move(container)) {}
  asio::awaitable<std::string> negotiate_version() override { co_return "1.41"; }
  asio::awaitable<std::vector<docker::ContainerSummary>> list_containers(bool) override {
    co_return std::vector<docker::ContainerSummary>{};
  }
  asio::awaitable<std::optional<ContainerMetadata>> inspect_container(const std::string&) override {
    if (removed) co_return std::nullopt;
    co_return container_;
  }
  bool removed = false;  // docker rm: inspect answers 404
  asio::awaitable<std::unique_ptr<docker::DockerStream>> open_events() override {
    throw std::runtime_error("not in this test");
  }
  asio::awaitable<std::unique_ptr<docker::DockerStream>> open_logs(
      const std::string&, const docker::LogsQuery&) override {
    throw std::runtime_error("not in this test");
  }
  void close_idle() override {}
  void cancel_all() override {}

 private:
  ContainerMetadata container_;
};

class ContainerLogFileFollowerTest : public ::testing::Test {
 protected:
  ContainerLogFileFollowerTest() {
    container_.id = kId;
    container_.name = "web-1";
    container_.running = false;
    container_.log_driver = "json-file";
    container_.log_path = path_;
    pipeline_config_.flush_interval = 1ms;
  }

  ~ContainerLogFileFollowerTest() override {
    if (pipeline_) {
      pipeline_->stop(std::chrono::steady_clock::now() + 1s);
      eventually([&] { return pipeline_->stopped(); }, 5s);
    }
    input_loop_.join();
    sink_loop_.join();
  }

  // Follows the (stopped) container from the tracker's checkpoint until its log is read to
  // the end and delivered; returns what the sink got. `while_running`: the container runs
  // until it returns (called once the log is open), then stops.
  std::vector<std::string> follow_to_the_end(const std::function<void()>& while_running = {}) {
    if (!sink_) make_pipeline();
    client_ = std::make_unique<StoppedContainerClient>(container_);
    client_->removed = removed_;
    std::promise<StreamEnd> ended;
    input_loop_.call([&] {
      watcher_ = std::make_unique<json_file::FileChangeWatcher>(input_loop_.executor());
      ContainerLogFileFollower::Dependencies deps{*client_,      *pipeline_, tracker_,  config_,
                                                  metrics_,      tasks_,     *watcher_, parser_,
                                                  file_metrics_, multiline_};
      auto seen = std::make_shared<ContainerMetadata>(container_);
      seen->running = static_cast<bool>(while_running);
      follower_ = std::make_shared<ContainerLogFileFollower>(
          input_loop_.executor(), deps, seen, path_,
          [&](const std::string&, StreamEnd how) { ended.set_value(how); });
      follower_->start();
      return 0;
    });
    if (while_running) {
      EXPECT_TRUE(eventually([&] { return file_metrics_.open_files.value() == 1; }, 5s));
      while_running();
      input_loop_.call([&] {
        follower_->notify_stopped();
        return 0;
      });
    }
    auto end = ended.get_future();
    EXPECT_EQ(end.wait_for(10s), std::future_status::ready);
    EXPECT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }, 5s));
    input_loop_.call([&] {
      follower_.reset();
      watcher_.reset();
      return 0;
    });
    return sink_->delivered();
  }

  void make_pipeline() {
    sink_ = std::make_unique<FakeSink>(sink_loop_.executor());
    pipeline_ = std::make_unique<Pipeline>(pipeline_config_, sink_loop_.executor(), *sink_,
                                           tracker_, registry_, health_);
    pipeline_->start();
  }

  // Loads the checkpoint an agent killed once `delivered` were delivered had saved.
  void checkpoint_after(const std::vector<LogRecord>& delivered) {
    CheckpointTracker before_the_kill;
    before_the_kill.acknowledge(delivered);
    const auto position = before_the_kill.position(kId);
    const auto file = before_the_kill.file_position(kId);
    ASSERT_TRUE(position && file);
    tracker_.restore({{kId, *position}}, {{kId, *file}});
  }

  // The records a reader of the whole log makes (what the agent before the kill read).
  std::vector<LogRecord> read_all() {
    json_file::ContainerLogFileReader reader(std::make_shared<ContainerMetadata>(container_), path_,
                                             parser_);
    std::vector<LogRecord> out;
    while (!reader.read_available(out, 1 << 20)) {
    }
    return out;
  }

  FilePosition before_the_kill_place(std::uint64_t offset) {
    struct stat info {};
    EXPECT_EQ(::stat(path_.c_str(), &info), 0);
    return {{static_cast<std::uint64_t>(info.st_dev), static_cast<std::uint64_t>(info.st_ino)},
            offset};
  }

  json_file::testing::TempDir dir_;
  std::string path_ = dir_.file(kId + "-json.log");
  ContainerMetadata container_;
  TaskCount tasks_;
  PipelineConfig pipeline_config_;
  DockerInputConfig config_;
  MetricsRegistry registry_;
  HealthRegistry health_;
  DockerInputMetrics metrics_{registry_};
  json_file::JsonFileInputMetrics file_metrics_{registry_};
  const multiline::MultilineSelection* multiline_ = nullptr;  // a record per line
  json_file::JsonFileLineParser parser_;
  CheckpointTracker tracker_;
  LoopThread sink_loop_;
  LoopThread input_loop_;
  std::unique_ptr<FakeSink> sink_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<StoppedContainerClient> client_;
  std::unique_ptr<json_file::FileChangeWatcher> watcher_;
  std::shared_ptr<ContainerLogFileFollower> follower_;
  bool removed_ = false;
};

TEST_F(ContainerLogFileFollowerTest, ReadsEverythingOfAContainerWithoutCheckpoint) {
  append(path_, entry("a\n", "stdout", kFollowStart) + entry("b\n", "stderr", kFollowStart + 1) +
                    "not json\n");
  EXPECT_EQ(follow_to_the_end(), (std::vector<std::string>{"a", "b", "not json"}));
}

TEST_F(ContainerLogFileFollowerTest, ResumeNeverDropsALineBecauseTheOtherStreamIsNewer) {
  // dockerd stamps each stream in its own goroutine: the stderr line written after the
  // delivered stdout line carries an earlier time. It was not delivered: it must be read.
  append(path_,
         entry("out\n", "stdout", kFollowStart + 10) + entry("err\n", "stderr", kFollowStart + 5));
  const std::vector<LogRecord> before_the_kill = read_all();
  ASSERT_EQ(before_the_kill.size(), 2u);
  checkpoint_after({before_the_kill[0]});
  append(path_, entry("later\n", "stdout", kFollowStart + 11));
  EXPECT_EQ(follow_to_the_end(), (std::vector<std::string>{"err", "later"}));
  EXPECT_EQ(metrics_.skipped_records.value(), 0u);
}

TEST_F(ContainerLogFileFollowerTest, ResumeBesideALongLineStillBeingJoined) {
  // A 16 KiB+ stdout line is being joined when the stderr line after its first piece is
  // delivered: after a restart the long line is read whole and the stderr line not again.
  append(path_, entry("before\n", "stdout", kFollowStart) +
                    entry(std::string(16384, 'o'), "stdout", kFollowStart + 1) +
                    entry("err\n", "stderr", kFollowStart + 2));
  const std::vector<LogRecord> before_the_kill = read_all();
  ASSERT_EQ(before_the_kill.size(), 2u);
  checkpoint_after(before_the_kill);
  append(path_, entry("ut\n", "stdout", kFollowStart + 3));
  EXPECT_EQ(follow_to_the_end(), (std::vector<std::string>{std::string(16384, 'o') + "ut"}));
  EXPECT_EQ(metrics_.skipped_records.value(), 1u);  // "err", proven delivered by its bytes
}

TEST_F(ContainerLogFileFollowerTest, AnInvalidFirstLineNeverMovesThePositionIntoTheFuture) {
  append(path_, "garbage\n");
  const std::vector<LogRecord> before_the_kill = read_all();
  checkpoint_after(before_the_kill);
  EXPECT_TRUE(tracker_.position(kId)->empty());
  append(path_, entry("real\n", "stdout", kFollowStart));
  EXPECT_EQ(follow_to_the_end(), (std::vector<std::string>{"real"}));
}

TEST_F(ContainerLogFileFollowerTest, StartAtNowIsAPlaceInTheFileNotATimeOfTheAgentsClock) {
  // The agent's clock is ahead of the one dockerd stamped with (or was stepped back since the
  // follower began): lines written after the start are read all the same.
  config_.start_at = DockerInputConfig::StartAt::kNow;
  append(path_, entry("old\n", "stdout", kFollowStart));
  EXPECT_EQ(follow_to_the_end([&] {
              append(path_, entry("new\n", "stdout", kFollowStart + 1) +
                                entry("err\n", "stderr", kFollowStart + 2));
            }),
            (std::vector<std::string>{"new", "err"}));
}

TEST_F(ContainerLogFileFollowerTest, AContainerRemovedWhileTheSinkIsStalledIsStillRead) {
  // docker run --rm under back-pressure: the follower waits for room before its first read,
  // and the container and its log are gone by then. The log was opened when the follower began.
  pipeline_config_.read_ahead_bytes = 1;
  make_pipeline();
  sink_->close_gate();
  LogRecord filler;
  filler.message = "queued before";
  input_loop_.call([&] {
    asio::co_spawn(input_loop_.executor(), pipeline_->submit({filler}), asio::detached);
    return 0;
  });
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() > 0; }));
  append(path_,
         entry("short\n", "stdout", kFollowStart) + entry("lived\n", "stderr", kFollowStart + 1));
  removed_ = true;
  const auto delivered = follow_to_the_end([&] {
    ::unlink(path_.c_str());  // docker rm deletes the log
    sink_->open_gate();
  });
  EXPECT_EQ(delivered, (std::vector<std::string>{"queued before", "short", "lived"}));
  EXPECT_EQ(file_metrics_.logs_missed.value(), 0u);
}

TEST_F(ContainerLogFileFollowerTest, ALogNeverOpenedBeforeItsContainerWentIsACountedGap) {
  config_.max_pinned_files = 0;  // never opened early
  removed_ = true;
  EXPECT_TRUE(follow_to_the_end().empty());  // no file at all: removed before it was seen
  EXPECT_EQ(file_metrics_.logs_missed.value(), 1u);
}

TEST_F(ContainerLogFileFollowerTest, ACheckpointedPlaceThatIsGoneFallsBackToTimePerStream) {
  // The checkpointed file was rotated away while the agent was down: the reader starts at the
  // oldest file, and the position says which of its records were delivered.
  append(path_, entry("a\n", "stdout", kFollowStart) + entry("b\n", "stderr", kFollowStart + 1) +
                    entry("c\n", "stdout", kFollowStart + 2));
  const FileResumePoint gone{
      {{1, 999'999'999}, 10}, 0, ContainerPosition{{kFollowStart, 1}, {kFollowStart + 1, 1}}, {}};
  tracker_.restore({{kId, ContainerPosition{{kFollowStart, 1}, {kFollowStart + 1, 1}}}},
                   {{kId, gone}});
  EXPECT_EQ(follow_to_the_end(), (std::vector<std::string>{"c"}));
  EXPECT_EQ(metrics_.skipped_records.value(), 2u);
}

TEST_F(ContainerLogFileFollowerTest, APlaceTakenApartFromThePositionFallsBackToTimePerStream) {
  // A checkpoint of format 1: one mark for both streams, the file place behind it. The
  // position decides, stream by stream, until a stream's first record it does not cover.
  const std::string first = entry("a\n", "stdout", kFollowStart);
  append(path_, first + entry("b\n", "stdout", kFollowStart + 1) +
                    entry("c\n", "stderr", kFollowStart + 2) +
                    entry("d\n", "stdout", kFollowStart + 3));
  FileResumePoint place{
      before_the_kill_place(first.size()), 0, ContainerPosition::both({kFollowStart, 1}), {}};
  tracker_.restore({{kId, ContainerPosition::both({kFollowStart + 1, 1})}}, {{kId, place}});
  EXPECT_EQ(follow_to_the_end(), (std::vector<std::string>{"c", "d"}));
  EXPECT_EQ(metrics_.skipped_records.value(), 1u);
}

}  // namespace
}  // namespace lc::docker_input
