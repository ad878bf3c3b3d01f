#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/container_metadata.hpp"
#include "core/container_position.hpp"
#include "core/log_record.hpp"
#include "core/task_count.hpp"
#include "inputs/docker/container_follower.hpp"
#include "inputs/docker/container_record_submitter.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/json_file/file_change_watcher.hpp"

namespace lc {
class CheckpointTracker;
class Pipeline;
namespace docker {
class DockerClient;
}
namespace json_file {
class ContainerLogFileReader;
class JsonFileLineParser;
struct JsonFileInputMetrics;
}  // namespace json_file
}  // namespace lc

namespace lc::multiline {
class MultilineSelection;
}

namespace lc::docker_input {

struct DockerInputMetrics;

// Follows one container by reading its json-file log (`<LogPath>`, `.1`, `.2`...) directly:
// dockerd does no work per line. Reads when the FileChangeWatcher says the log's directory
// changed, hands records to the pipeline (waiting for room: back-pressure stops the reading),
// and after the container stops reads the log to its end, final unterminated line included.
// Resumes from the checkpointed place in the file, byte-exact (see ContainerLogFileReader);
// only when that place lags the container's position (records read through the API since, a
// checkpoint of format 1) does the position decide, per stream, which records read again are
// delivered. Holds at most one fd.
class ContainerLogFileFollower : public ContainerFollower,
                                 public std::enable_shared_from_this<ContainerLogFileFollower> {
 public:
  struct Dependencies {
    docker::DockerClient& client;
    Pipeline& pipeline;
    CheckpointTracker& tracker;
    const DockerInputConfig& config;
    DockerInputMetrics& metrics;
    TaskCount& tasks;  // the input's: counts this follower's task
    json_file::FileChangeWatcher& watcher;
    json_file::JsonFileLineParser& parser;  // shared by the followers of the input thread
    json_file::JsonFileInputMetrics& file_metrics;
    const multiline::MultilineSelection* multiline;  // may be null: a record per line
  };

  // `log_path`: where the agent reads the log (LogPath, under inputs.docker.host_root).
  ContainerLogFileFollower(boost::asio::any_io_executor executor, Dependencies deps,
                           ContainerMetadataPtr container, std::string log_path,
                           FinishedCallback on_finished);
  ~ContainerLogFileFollower() override;

  void start() override;
  void stop() override;
  void notify_started() override;
  void notify_stopped() override;
  void retire_when_done() override;
  void update_metadata(ContainerMetadataPtr container) override;
  const ContainerMetadataPtr& metadata() const override { return container_; }
  const ContainerPosition& position() const override { return position_; }
  const char* mode() const override { return "file"; }

 private:
  boost::asio::awaitable<void> run();
  boost::asio::awaitable<StreamEnd> follow();
  // After a read to the end that began once the container had stopped: is it still stopped?
  // nullopt when the engine could not say (asked again later).
  boost::asio::awaitable<std::optional<StreamEnd>> confirm_end();
  boost::asio::awaitable<void> deliver(std::vector<LogRecord>& records);
  void filter_by_time() { by_time_ = ResumeFilter(resume_from_); }
  // Until a change is signalled, `until` (a multi-line group's flush) or the idle recheck.
  boost::asio::awaitable<void> wait_for_change(
      std::optional<std::chrono::steady_clock::time_point> until = std::nullopt);
  void wake();

  boost::asio::any_io_executor executor_;
  Dependencies deps_;
  ContainerMetadataPtr container_;
  const std::string log_path_;
  FinishedCallback on_finished_;
  ContainerRecordSubmitter submitter_;
  ContainerPosition position_;  // just after the last record submitted
  // Only when the checkpoint's file place lags its position: what the position proves
  // delivered, per stream, until a stream's first record it does not cover.
  ContainerPosition resume_from_;  // the checkpoint's position at start
  ResumeFilter by_time_;
  std::uint64_t skipped_reported_ = 0;  // the reader's skipped_delivered already counted
  bool resume_loss_seen_ = false;
  std::unique_ptr<json_file::ContainerLogFileReader> reader_;
  json_file::FileChangeWatcher::Subscription subscription_;
  boost::asio::steady_timer wake_timer_;
  bool changed_ = true;   // something may have been written since the last read
  bool stopped_ = false;  // the container stopped: read to the end, then finish
  bool retire_ = false;
  bool stopping_ = false;
};

}  // namespace lc::docker_input
