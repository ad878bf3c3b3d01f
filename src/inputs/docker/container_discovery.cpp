#include "inputs/docker/container_discovery.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "core/backoff.hpp"
#include "core/health_registry.hpp"
#include "docker/docker_client.hpp"
#include "docker/docker_event.hpp"
#include "inputs/docker/container_log_file_follower.hpp"
#include "inputs/docker/container_log_stream.hpp"
#include "inputs/docker/self_container.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "processors/multiline/multiline_selection.hpp"

namespace lc::docker_input {

namespace asio = boost::asio;

namespace {
constexpr const char* kHealthComponent = "docker";
constexpr std::size_t kEventsReadBytes = 4096;
constexpr std::size_t kMaxEventLineBytes = 1024 * 1024;

void log_task_failure(const char* what, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::error("docker: {} failed: {}", what, e.what());
  }
}
}  // namespace

ContainerDiscovery::ContainerDiscovery(asio::any_io_executor executor, docker::DockerClient& client,
                                       Pipeline& pipeline, CheckpointTracker& tracker,
                                       const DockerInputConfig& config, MetricsRegistry& metrics,
                                       HealthRegistry& health,
                                       json_file::FileChangeWatcher& watcher,
                                       json_file::JsonFileInputMetrics& file_metrics,
                                       TaskCount& tasks, ReconnectBackoff reconnect)
    : executor_(executor),
      client_(client),
      pipeline_(pipeline),
      tracker_(tracker),
      config_(config),
      health_(health),
      metrics_(metrics),
      filter_(config.filter),
      self_id_(config.self_container_id.empty() ? detect_self_container_id()
                                                : config.self_container_id),
      watcher_(watcher),
      file_metrics_(file_metrics),
      tasks_(tasks),
      reconnect_(reconnect),
      reconnect_timer_(executor),
      reconcile_timer_(executor) {
  health_.set(kHealthComponent, false, "connecting");
  if (!self_id_.empty())
    spdlog::info("docker: running in container {}; it is never captured", self_id_.substr(0, 12));
}

ContainerDiscovery::~ContainerDiscovery() { health_.remove(kHealthComponent); }

void ContainerDiscovery::start() {
  asio::co_spawn(executor_, events_loop(),
                 tasks_.track([](std::exception_ptr e) { log_task_failure("events loop", e); }));
  asio::co_spawn(executor_, reconcile_loop(),
                 tasks_.track([](std::exception_ptr e) { log_task_failure("reconcile loop", e); }));
}

void ContainerDiscovery::stop() {
  stopping_ = true;
  reconnect_timer_.cancel();
  reconcile_timer_.cancel();
  for (auto& [id, timer] : inspect_retries_) timer->cancel();
  if (events_) events_->close();
  for (auto& [id, stream] : streams_) stream->stop();
}

asio::awaitable<void> ContainerDiscovery::pause(asio::steady_timer& timer,
                                                std::chrono::milliseconds delay) {
  timer.expires_after(delay);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> ContainerDiscovery::events_loop() {
  Backoff backoff(reconnect_.initial, reconnect_.max);
  bool reported_failure = false;
  while (!stopping_) {
    try {
      const std::string version = co_await client_.negotiate_version();
      // Open events before listing, so that nothing happens unseen between the two.
      events_ = co_await client_.open_events();
      metrics_.events_reconnects.inc();
      co_await resync();
      connected_ = true;
      health_.set(kHealthComponent, true, "connected, API " + version);
      spdlog::info("docker: connected (API {}), following {} containers", version, streams_.size());
      reported_failure = false;
      backoff.reset();
      co_await read_events();
      if (!stopping_) spdlog::warn("docker: events stream ended; reconnecting");
    } catch (const std::exception& e) {
      if (stopping_) break;
      health_.set(kHealthComponent, false, e.what());
      if (!reported_failure) {
        spdlog::error("docker: engine unreachable: {}; retrying with backoff", e.what());
        reported_failure = true;
      } else {
        spdlog::debug("docker: engine still unreachable: {}", e.what());
      }
    }
    connected_ = false;
    if (events_) {
      events_->close();
      events_.reset();
    }
    if (stopping_) break;
    health_.set(kHealthComponent, false, "reconnecting");
    co_await pause(reconnect_timer_, backoff.next());
  }
}

asio::awaitable<void> ContainerDiscovery::read_events() {
  docker::EventLineSplitter splitter(kMaxEventLineBytes);
  std::vector<char> buffer(kEventsReadBytes);
  std::vector<std::string> lines;
  for (;;) {
    const std::size_t n = co_await events_->read_some(std::span<char>(buffer));
    if (n == 0) co_return;
    lines.clear();
    splitter.feed(std::string_view(buffer.data(), n),
                  [&](std::string_view line) { lines.emplace_back(line); });
    for (const std::string& line : lines) {
      if (line.empty()) continue;
      if (auto event = docker::parse_docker_event(line)) {
        metrics_.events.inc();
        co_await handle_event(*event);
      } else {
        spdlog::warn("docker: ignoring an events line that is not a container event");
      }
      if (stopping_) co_return;
    }
  }
}

asio::awaitable<void> ContainerDiscovery::handle_event(const docker::DockerEvent& event) {
  if (event.type != "container" || event.id.empty()) co_return;
  const std::string& id = event.id;
  if (event.action == "start" || event.action == "restart") {
    done_.erase(id);
    if (auto it = streams_.find(id); it != streams_.end()) {
      it->second->notify_started();
    } else if (!ignored_.contains(id)) {
      try {
        co_await consider(id);
      } catch (const std::exception& e) {
        spdlog::warn("docker: inspect of started container {} failed: {}; retrying",
                     short_container_id(id), e.what());
        retry_consider(id);
      }
    }
  } else if (event.action == "destroy") {
    done_.erase(id);
    ignored_.erase(id);
    if (auto it = streams_.find(id); it != streams_.end()) {
      it->second->retire_when_done();
    } else {
      tracker_.retire(id);
    }
  } else if (event.action == "rename") {
    std::optional<ContainerMetadata> container;
    try {
      if (streams_.contains(id)) container = co_await client_.inspect_container(id);
    } catch (const std::exception& e) {
      spdlog::debug("docker: inspect after rename of {} failed: {}", id.substr(0, 12), e.what());
    }
    if (auto it = streams_.find(id); it != streams_.end() && container) {
      container->input = input_name_;
      it->second->update_metadata(std::make_shared<const ContainerMetadata>(std::move(*container)));
    }
  } else if (event.action == "die") {
    if (auto it = streams_.find(id); it != streams_.end()) it->second->notify_stopped();
  }
}

asio::awaitable<void> ContainerDiscovery::resync() {
  metrics_.resyncs.inc();
  // Judge only what was known before listing: a container that appears and vanishes while
  // the list is in flight must not lose its checkpoint (its log would be read again).
  const auto known_positions = tracker_.positions();
  const std::set<std::string> known_done = done_;
  const std::set<std::string> known_ignored = ignored_;
  std::set<std::string> followed_before;
  for (const auto& [id, stream] : streams_) followed_before.insert(id);
  const auto containers = co_await client_.list_containers(/*all=*/true);
  std::set<std::string> present;
  for (const docker::ContainerSummary& summary : containers) {
    present.insert(summary.id);
    const bool running = summary.state == "running";
    if (auto it = streams_.find(summary.id); it != streams_.end()) {
      if (!running) it->second->notify_stopped();  // in case its die event was missed
      continue;
    }
    if (ignored_.contains(summary.id)) continue;
    if (!running && done_.contains(summary.id)) continue;
    if (!running && !tracker_.position(summary.id) &&
        config_.start_at == DockerInputConfig::StartAt::kNow) {
      done_.insert(summary.id);  // stopped before we first saw it, and we start at "now"
      continue;
    }
    try {
      co_await consider(summary.id);
    } catch (const std::exception& e) {
      // One container the engine cannot describe now must not stop the rest of the resync.
      spdlog::warn("docker: inspect of container {} failed: {}; retrying",
                   short_container_id(summary.id), e.what());
      retry_consider(summary.id);
    }
    if (stopping_) co_return;
  }
  // Containers removed while we were not looking (their destroy event lost with the events
  // stream): their followers read what is left and end, and take their checkpoints with them.
  for (const std::string& id : followed_before) {
    if (present.contains(id)) continue;
    if (auto it = streams_.find(id); it != streams_.end()) {
      spdlog::info("docker: container {} was removed unseen; reading its last lines",
                   short_container_id(id));
      it->second->retire_when_done();
    }
  }
  // Their checkpoints go, and our sets too.
  for (const auto& [id, position] : known_positions) {
    if (!present.contains(id) && !streams_.contains(id)) tracker_.retire(id);
  }
  std::erase_if(done_, [&](const std::string& id) {
    return known_done.contains(id) && !present.contains(id);
  });
  std::erase_if(ignored_, [&](const std::string& id) {
    return known_ignored.contains(id) && !present.contains(id);
  });
}

asio::awaitable<void> ContainerDiscovery::reconcile_loop() {
  while (!stopping_) {
    co_await pause(reconcile_timer_, config_.reconcile_interval);
    if (stopping_ || !connected_) continue;
    try {
      co_await resync();
    } catch (const std::exception& e) {
      spdlog::debug("docker: periodic resync failed: {}", e.what());
    }
  }
}

asio::awaitable<void> ContainerDiscovery::consider(const std::string& id) {
  if (considering_.contains(id) || streams_.contains(id)) co_return;
  considering_.insert(id);
  std::optional<ContainerMetadata> container;
  try {
    container = co_await client_.inspect_container(id);
  } catch (...) {
    considering_.erase(id);
    throw;
  }
  considering_.erase(id);
  if (!container || stopping_ || streams_.contains(id)) co_return;
  // Read to its end already, and not started since: a stale list must not start it again.
  if (done_.contains(id) && !container->running) co_return;
  done_.erase(id);
  if (container->id == self_id_ || (!self_id_.empty() && container->id.starts_with(self_id_))) {
    ignored_.insert(id);
    co_return;
  }
  if (!filter_.matches(*container)) {
    spdlog::debug("docker: container {} filtered out", container->name);
    ignored_.insert(id);
    co_return;
  }
  container->input = input_name_;
  start_following(std::make_shared<const ContainerMetadata>(std::move(*container)));
}

void ContainerDiscovery::retry_consider(const std::string& id) {
  if (stopping_ || inspect_retries_.contains(id)) return;
  inspect_retries_.emplace(id, std::make_unique<asio::steady_timer>(executor_));
  asio::co_spawn(executor_, retry_consider_loop(id),
                 tasks_.track([](std::exception_ptr e) { log_task_failure("inspect retry", e); }));
}

asio::awaitable<void> ContainerDiscovery::retry_consider_loop(std::string id) {
  Backoff backoff(reconnect_.initial, reconnect_.max);
  asio::steady_timer& timer = *inspect_retries_.at(id);
  while (!stopping_) {
    co_await pause(timer, backoff.next());
    if (stopping_ || streams_.contains(id) || ignored_.contains(id)) break;
    try {
      co_await consider(id);  // a container removed meanwhile: nullopt, done too
      break;
    } catch (const std::exception& e) {
      spdlog::debug("docker: inspect of {} failed again: {}", short_container_id(id), e.what());
    }
  }
  inspect_retries_.erase(id);
}

std::optional<std::string> ContainerDiscovery::readable_json_log(
    const ContainerMetadata& container) const {
  if (container.log_driver != "json-file" || container.log_path.empty()) return std::nullopt;
  std::string path = config_.host_root + container.log_path;
  if (::access(path.c_str(), R_OK) != 0) return std::nullopt;
  return path;
}

void ContainerDiscovery::start_following(ContainerMetadataPtr container) {
  const std::string id = container->id;
  auto on_finished = [this](const std::string& finished_id, StreamEnd how) {
    on_stream_finished(finished_id, how);
  };
  std::optional<std::string> log_file;
  if (config_.mode != DockerInputConfig::Mode::kApi) log_file = readable_json_log(*container);
  std::shared_ptr<ContainerFollower> follower;
  if (log_file) {
    spdlog::debug("docker: following container {} ({}) from {}", container->name, id.substr(0, 12),
                  *log_file);
    follower = std::make_shared<ContainerLogFileFollower>(
        executor_,
        ContainerLogFileFollower::Dependencies{client_, pipeline_, tracker_, config_, metrics_,
                                               tasks_, watcher_, parser_, file_metrics_,
                                               multiline_},
        std::move(container), std::move(*log_file), std::move(on_finished));
  } else if (config_.mode == DockerInputConfig::Mode::kFile) {
    metrics_.containers_unreadable.inc();
    spdlog::warn(
        "docker: container {} ({}) not captured: inputs.docker.mode is file, and its log (driver "
        "{}, path '{}{}') is not a json-file log the agent can read",
        container->name, id.substr(0, 12), container->log_driver, config_.host_root,
        container->log_path);
    ignored_.insert(id);
    return;
  } else {
    spdlog::debug("docker: following container {} ({}) through the API", container->name,
                  id.substr(0, 12));
    follower = std::make_shared<ContainerLogStream>(
        executor_,
        ContainerLogStream::Dependencies{client_, pipeline_, tracker_, config_, metrics_, tasks_,
                                         multiline_},
        std::move(container), std::move(on_finished));
  }
  streams_.emplace(id, follower);
  follower->start();
}

void ContainerDiscovery::on_stream_finished(const std::string& id, StreamEnd how) {
  streams_.erase(id);
  if (how == StreamEnd::kExited) done_.insert(id);
  if (how == StreamEnd::kUnsupported) ignored_.insert(id);
}

namespace {

nlohmann::json position_json(const ContainerPosition& position) {
  nlohmann::json streams = nlohmann::json::object();
  for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
    const StreamPosition& at = position.of(stream);
    if (!at.empty()) {
      streams[to_string(stream)] = {{"time", format_rfc3339_nano(at.time)},
                                    {"count", at.count_at_time}};
    }
  }
  return streams;
}

}  // namespace

nlohmann::json ContainerDiscovery::snapshot() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, stream] : streams_) {
    const ContainerMetadata& container = *stream->metadata();
    list.push_back({{"id", id},
                    {"name", container.name},
                    {"image", container.image},
                    {"tty", container.tty},
                    {"mode", stream->mode()},
                    {"position", position_json(stream->position())}});
  }
  return list;
}

}  // namespace lc::docker_input
