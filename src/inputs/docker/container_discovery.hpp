#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>

#include "core/task_count.hpp"
#include "inputs/docker/container_filter.hpp"
#include "inputs/docker/container_follower.hpp"
#include "inputs/docker/docker_input_metrics.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/json_file/file_change_watcher.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "inputs/json_file/json_file_line_parser.hpp"

namespace lc {
class CheckpointTracker;
class HealthRegistry;
class MetricsRegistry;
class Pipeline;
namespace docker {
class DockerClient;
class DockerStream;
struct DockerEvent;
}  // namespace docker
}  // namespace lc

namespace lc::multiline {
class MultilineSelection;
}

namespace lc::docker_input {

// How long to wait before reconnecting to the engine, or inspecting again a container whose
// inspect failed (docker.reconnect_backoff_initial / _max): doubles with jitter up to max.
struct ReconnectBackoff {
  std::chrono::milliseconds initial{250};
  std::chrono::milliseconds max{30'000};
};

// Finds the containers to follow and keeps one follower per container: an initial list, then
// the events stream (start, die, destroy, rename), resynchronising from a fresh list after
// every reconnect and periodically. Survives the engine going away: reconnects with backoff
// and reports itself degraded meanwhile. Each container is read straight from its json-file
// log when it can be (inputs.docker.mode), else through the Engine API. Runs on one executor
// (no locks).
class ContainerDiscovery {
 public:
  // `watcher` and `file_metrics` are shared with the other file readers of the input thread.
  ContainerDiscovery(boost::asio::any_io_executor executor, docker::DockerClient& client,
                     Pipeline& pipeline, CheckpointTracker& tracker,
                     const DockerInputConfig& config, MetricsRegistry& metrics,
                     HealthRegistry& health, json_file::FileChangeWatcher& watcher,
                     json_file::JsonFileInputMetrics& file_metrics, TaskCount& tasks,
                     ReconnectBackoff reconnect = {});
  ~ContainerDiscovery();

  // The input name its containers' records carry (ContainerMetadata::input); before start().
  void set_input_name(std::string name) { input_name_ = std::move(name); }
  // The multiline processors (outlives the discovery); none: a record per line.
  void set_multiline(const multiline::MultilineSelection* selection) { multiline_ = selection; }
  void start();
  // Closes the events stream and every log stream; tasks end shortly after.
  void stop();
  std::size_t active_streams() const { return streams_.size(); }
  // The followed containers, for the HTTP API.
  nlohmann::json snapshot() const;

 private:
  boost::asio::awaitable<void> events_loop();
  boost::asio::awaitable<void> read_events();
  boost::asio::awaitable<void> reconcile_loop();
  boost::asio::awaitable<void> resync();
  boost::asio::awaitable<void> handle_event(const docker::DockerEvent& event);
  // Inspects a container and starts following it unless filtered out.
  boost::asio::awaitable<void> consider(const std::string& id);
  // After a failed inspect of a started container: inspect it again with backoff, alone,
  // rather than dropping the events stream and listing everything again.
  void retry_consider(const std::string& id);
  boost::asio::awaitable<void> retry_consider_loop(std::string id);
  void start_following(ContainerMetadataPtr container);
  // Where the agent can read the container's json-file log; nullopt when it cannot.
  std::optional<std::string> readable_json_log(const ContainerMetadata& container) const;
  void on_stream_finished(const std::string& id, StreamEnd how);
  boost::asio::awaitable<void> pause(boost::asio::steady_timer& timer,
                                     std::chrono::milliseconds delay);

  boost::asio::any_io_executor executor_;
  docker::DockerClient& client_;
  Pipeline& pipeline_;
  CheckpointTracker& tracker_;
  const DockerInputConfig& config_;
  std::string input_name_ = "docker";
  const multiline::MultilineSelection* multiline_ = nullptr;
  HealthRegistry& health_;
  DockerInputMetrics metrics_;
  ContainerFilter filter_;
  std::string self_id_;
  json_file::FileChangeWatcher& watcher_;
  json_file::JsonFileInputMetrics& file_metrics_;
  TaskCount& tasks_;  // the input's: every task of it and of its followers
  json_file::JsonFileLineParser parser_;
  const ReconnectBackoff reconnect_;

  std::unique_ptr<docker::DockerStream> events_;
  boost::asio::steady_timer reconnect_timer_;
  boost::asio::steady_timer reconcile_timer_;
  std::map<std::string, std::shared_ptr<ContainerFollower>> streams_;
  std::set<std::string> done_;         // stopped and read to the end
  std::set<std::string> ignored_;      // filtered out, our own container, or unreadable driver
  std::set<std::string> considering_;  // inspect in flight
  // Containers waiting to be inspected again, each with its own timer (cancelled by stop()).
  std::map<std::string, std::unique_ptr<boost::asio::steady_timer>> inspect_retries_;
  bool connected_ = false;
  bool stopping_ = false;
};

}  // namespace lc::docker_input
