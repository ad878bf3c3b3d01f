#include "app/agent.hpp"

#include <fmt/ranges.h>
#include <pthread.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "app/data_dir_lock.hpp"
#include "app/data_dir_permissions.hpp"
#include "app/sink_set.hpp"
#include "app/store_recovery.hpp"
#include "buffer/checkpoint_store.hpp"
#include "buffer/dead_letter/dead_letter_store.hpp"
#include "config/version.hpp"
#include "core/health_registry.hpp"
#include "inputs/all_inputs.hpp"
#include "inputs/docker/docker_input.hpp"
#include "inputs/file/file_path_claims.hpp"
#include "inputs/json_file/file_change_watcher.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/process_stats.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/delivery_receipt.hpp"
#include "pipeline/file_checkpoints.hpp"
#include "pipeline/pipeline.hpp"
#include "processors/all_processors.hpp"
#include "server/api_routes.hpp"
#include "server/dlq_routes.hpp"
#include "server/http_server.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "sinks/sink_directories.hpp"

namespace lc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::string store_directory(const AgentConfig& config) {
  const SinkSpec* store = config.find_sink("file_store");
  return store == nullptr || store->type != "file_store"
             ? std::string()
             : file_store_directory(store->options_as<FileStoreOptions>(), config.data_dir);
}

// The json-file readers' polling interval (where inotify is unavailable) is the docker input's.
std::chrono::milliseconds file_poll_interval(const AgentConfig& config) {
  const InputSpec* docker = config.enabled_input_of_type("docker");
  return docker != nullptr ? docker->options_as<DockerInputConfig>().file_poll_interval
                           : DockerInputConfig{}.file_poll_interval;
}

// Every enabled input, built by its type's factory; throws naming the input that cannot start.
std::vector<std::unique_ptr<Input>> build_inputs(const AgentConfig& config,
                                                 const InputBuildContext& context) {
  std::vector<std::unique_ptr<Input>> inputs;
  for (const InputSpec& spec : config.inputs) {
    if (!spec.enabled) continue;
    try {
      inputs.push_back(built_in_input_types().find(spec.type)->build(spec, context));
    } catch (const std::exception& e) {
      throw std::runtime_error(fmt::format("inputs.{}: {}", spec.name, e.what()));
    }
  }
  return inputs;
}

std::size_t active_streams(const std::vector<std::unique_ptr<Input>>& inputs) {
  std::size_t streams = 0;
  for (const auto& input : inputs) streams += input->active_streams();
  return streams;
}

std::unique_ptr<server::HttpServer> make_server(asio::any_io_executor executor, const char* name,
                                                const std::string& listen,
                                                server::HttpRouter router, MetricsRegistry& metrics,
                                                server::HttpServerOptions options = {}) {
  if (listen.empty()) return nullptr;
  auto server = std::make_unique<server::HttpServer>(executor, name, listen, std::move(router),
                                                     metrics, std::move(options));
  server->start();
  spdlog::info("{} server listening on {} (port {})", name, listen, server->port());
  return server;
}

// Says at start-up what the processors and routes do, and warns about records no route takes.
void log_stages(const AgentConfig& config, const std::vector<std::string>& sink_names) {
  for (const ProcessorSpec& processor : config.processors) {
    const ProcessorFactory* factory = built_in_processor_types().find(processor.type);
    spdlog::info("processor {}: {}", processor.name,
                 factory != nullptr ? factory->describe(processor) : processor.type);
  }
  if (config.routes.empty()) return;
  bool catch_all = false;
  for (std::size_t i = 0; i < config.routes.size(); ++i) {
    const RouteConfig& route = config.routes[i];
    catch_all = catch_all || route.match.empty();
    spdlog::info("route {}: {} -> {}", i + 1,
                 route.match.empty() ? "every record" : "matching records",
                 fmt::join(route.sinks, ", "));
  }
  if (!catch_all) {
    spdlog::warn(
        "routes: records that match no route go to no sink (counted in "
        "log_capturer_router_records_unrouted_total); add a route without match to catch them");
  }
  for (const std::string& sink : sink_names) {
    const bool routed =
        std::any_of(config.routes.begin(), config.routes.end(), [&](const RouteConfig& r) {
          return std::find(r.sinks.begin(), r.sinks.end(), sink) != r.sinks.end();
        });
    if (!routed) spdlog::warn("routes: no route sends records to sink {}: it gets none", sink);
  }
}

// What earlier runs (older versions, another umask) left readable by others is narrowed to
// `access`: the data dir and any sink directory configured outside it.
void tighten_data_directories(const AgentConfig& config, const DataAccess& access) {
  std::vector<std::string> roots{config.data_dir};
  const auto data_dir = std::filesystem::path(config.data_dir).lexically_normal();
  for (const SinkDirectory& directory : sink_directories(config)) {
    // One under the data dir was narrowed with it already.
    const auto inside =
        std::filesystem::path(directory.path).lexically_normal().lexically_relative(data_dir);
    if (inside.empty() || *inside.begin() == "..") roots.push_back(directory.path);
  }
  TighteningResult total;
  for (const std::string& root : roots) {
    const TighteningResult result = tighten_permissions(root, access);
    total.changed += result.changed;
    total.failed += result.failed;
    if (total.first_failure.empty()) total.first_failure = result.first_failure;
  }
  if (total.changed > 0) {
    spdlog::info("data permissions: narrowed {} files and directories to {}", total.changed,
                 access.group ? "the agent's user and group" : "the agent's user");
  }
  if (total.failed > 0) {
    spdlog::warn("data permissions: {} files and directories could not be narrowed (first: {})",
                 total.failed, total.first_failure);
  }
}

}  // namespace

int Agent::run() {
  const auto started = Clock::now();
  std::optional<DataDirLock> lock;
  DataAccess access;
  try {
    if (!config_.data_dir_group.empty()) access.group = find_group(config_.data_dir_group);
    restrict_new_files(access);  // before the first file: store, checkpoints, buffers, DLQ
    std::filesystem::create_directories(config_.data_dir);
    lock.emplace(config_.data_dir);
  } catch (const std::exception& e) {
    spdlog::critical("cannot use data directory {}: {}", config_.data_dir, e.what());
    return 1;
  }
  tighten_data_directories(config_, access);

  MetricsRegistry metrics;
  register_process_metrics(metrics);
  HealthRegistry health;
  asio::io_context input_loop(1);
  asio::io_context sink_loop(1);

  CheckpointStore checkpoints(
      (std::filesystem::path(config_.data_dir) / "checkpoints.json").string());
  std::unique_ptr<SinkSet> sinks;
  CheckpointTracker tracker;
  try {
    sinks = std::make_unique<SinkSet>(config_, metrics);
    if (sinks->file_store() != nullptr) sinks->file_store()->report_health_to(health);
    const CheckpointState saved = checkpoints.load();
    // When the file store is the only sink, what it holds is delivered: it proves positions
    // past the checkpoint (no duplicate after a kill -9). With other sinks it proves nothing
    // about them, so the checkpoint (what every sink acknowledged) is where to resume.
    const bool store_is_proof = sinks->file_store() != nullptr && sinks->names().size() == 1;
    CheckpointState resumed =
        store_is_proof ? recover_positions(saved, *sinks->file_store()) : saved;
    upgrade_legacy_file_checkpoints(resumed);  // tailed files: one key per file, not per path
    tracker.restore(resumed.containers, resumed.container_files);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  std::unique_ptr<Pipeline> pipeline_owner;
  try {
    pipeline_owner = std::make_unique<Pipeline>(
        config_.pipeline, sink_loop.get_executor(), sinks->lanes(), tracker, metrics, health,
        sinks->dead_letter_hook(), Pipeline::Stages{config_.processors, config_.routes});
  } catch (const std::exception& e) {
    spdlog::critical("pipeline: {}", e.what());
    return 2;
  }
  Pipeline& pipeline = *pipeline_owner;
  log_stages(config_, sinks->names());
  CheckpointSaver saver(sink_loop.get_executor(), checkpoints, tracker, sinks->file_store(),
                        config_.checkpoint_interval, metrics);
  sinks->register_flushes(saver);

  // Inputs, all on the input loop: one inotify fd shared by every file reader.
  json_file::JsonFileInputMetrics file_metrics(metrics);
  json_file::FileChangeWatcher watcher(
      input_loop.get_executor(),
      json_file::FileChangeWatcherOptions{file_poll_interval(config_), false}, &file_metrics);
  FileCheckpoints file_checkpoints(tracker);
  file_input::FilePathClaims file_claims;
  std::vector<std::unique_ptr<Input>> inputs;
  try {
    inputs = build_inputs(config_, InputBuildContext{input_loop.get_executor(), config_, pipeline,
                                                     tracker, file_checkpoints, metrics, health,
                                                     watcher, file_metrics, file_claims});
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  docker_input::DockerInput* docker = nullptr;  // the containers the API lists
  for (const auto& input : inputs) {
    if (auto* found = dynamic_cast<docker_input::DockerInput*>(input.get())) docker = found;
  }

  server::ApiSources sources;
  sources.containers = [&] { return docker ? docker->containers().dump() : std::string("[]"); };
  sources.status = [&] {
    return nlohmann::json{
        {"version", lc::agent_version()},
        {"uptime_seconds",
         std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()},
        {"containers_followed", active_streams(inputs)},
        {"pipeline_memory_bytes", pipeline.memory_in_use()},
        {"healthy", health.all_healthy()}}
        .dump();
  };
  // The dead-letter API reads segments and builds large answers: not on the inputs' thread.
  asio::thread_pool api_work(1);
  std::unique_ptr<server::HttpServer> api_server, metrics_server;
  try {
    server::HttpRouter api_router = server::make_api_router(metrics, health, sources);
    if (DeadLetterStore* dead_letters = sinks->dead_letters()) {
      dead_letters->report_health_to(health);
      DeadLetterRedelivery redelivery;
      redelivery.has_sink = [&pipeline](std::string_view sink) { return pipeline.has_sink(sink); };
      redelivery.redeliver = [&pipeline](const std::string& sink, std::vector<LogRecord> records,
                                         RedeliveryDone done) {
        return pipeline.redeliver(sink, std::move(records), std::move(done));
      };
      server::add_dead_letter_routes(api_router, *dead_letters, std::move(redelivery),
                                     api_work.get_executor());
    }
    server::HttpServerOptions api_options;
    api_options.host_policy.emplace(config_.server.allowed_hosts);
    api_server = make_server(input_loop.get_executor(), "api", config_.server.listen,
                             std::move(api_router), metrics, std::move(api_options));
    metrics_server =
        make_server(input_loop.get_executor(), "metrics", config_.server.metrics_listen,
                    server::make_metrics_router(metrics, health), metrics);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  auto sink_work = asio::make_work_guard(sink_loop);
  // Named so that top -H, /proc/<pid>/task and perf tell it from the main (input) thread,
  // which keeps the process's name.
  std::thread sink_thread([&] {
    pthread_setname_np(pthread_self(), "lc-sinks");
    sink_loop.run();
  });
  sinks->start_all();
  pipeline.start();
  saver.start();
  for (const auto& input : inputs) input->start();
  std::string sink_names;
  for (const std::string& name : sinks->names())
    sink_names += (sink_names.empty() ? "" : ", ") + name;
  spdlog::info("log-capturer {} started: data in {}, sinks: {}{}", lc::agent_version(),
               config_.data_dir, sink_names,
               sinks->file_store() ? " (store in " + store_directory(config_) + ")" : "");

  // Shutdown: stop reading, let the pipeline deliver what it holds (until the deadline),
  // then save the checkpoints one last time.
  bool forced_stop = false;
  asio::signal_set signals(input_loop, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("received signal {}: draining and shutting down", signal);
    for (const auto& input : inputs) input->stop();
    if (api_server) api_server->stop();
    if (metrics_server) metrics_server->stop();
    pipeline.stop(Clock::now() + config_.shutdown_timeout);
    asio::co_spawn(
        input_loop,
        [&]() -> asio::awaitable<void> {
          // Every task ends by itself once stopped; input_loop.run() then returns with no
          // handler left behind (a frame destroyed later could touch freed components).
          asio::steady_timer poll(input_loop);
          const auto give_up = Clock::now() + config_.shutdown_timeout + std::chrono::seconds(5);
          auto report_at = Clock::now() + std::chrono::seconds(3);
          while ((!pipeline.stopped() || active_streams(inputs) > 0) && Clock::now() < give_up) {
            if (Clock::now() >= report_at) {  // a slow shutdown says what it waits for
              spdlog::info("shutdown: waiting for {}{} input streams to end",
                           pipeline.stopped() ? "" : "the sinks to drain and ",
                           active_streams(inputs));
              report_at += std::chrono::seconds(3);
            }
            poll.expires_after(std::chrono::milliseconds(20));
            co_await poll.async_wait(asio::use_awaitable);
          }
          if (Clock::now() >= give_up) {
            spdlog::warn("shutdown: tasks still running after the deadline; stopping anyway");
            forced_stop = true;
            input_loop.stop();
          }
        },
        asio::detached);
  });

  input_loop.run();
  if (forced_stop) {
    // Tasks left suspended would be destroyed with the loop, after the components they use:
    // give those already cancelled (Docker calls, closed servers) a moment to end first.
    input_loop.restart();
    input_loop.run_for(std::chrono::seconds(1));
  }
  asio::post(sink_loop, [&] { saver.stop(); });
  sink_work.reset();
  sink_thread.join();
  sinks->stop_all(Clock::now() + std::chrono::seconds(5));  // the lanes are done with them
  const bool saved = saver.save_now();
  spdlog::info("log-capturer stopped{}", saved ? "" : " (the last checkpoint save failed)");
  return 0;
}

}  // namespace lc
