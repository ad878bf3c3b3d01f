#include "app/agent.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <thread>

#include "app/data_dir_lock.hpp"
#include "config/version.hpp"
#include "app/store_recovery.hpp"
#include "buffer/checkpoint_store.hpp"
#include "core/health_registry.hpp"
#include "docker/docker_client.hpp"
#include "inputs/docker/container_discovery.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/process_stats.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/pipeline.hpp"
#include "server/api_routes.hpp"
#include "server/http_server.hpp"
#include "sinks/file_store/file_store_sink.hpp"

namespace lc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::string store_directory(const AgentConfig& config) {
  const auto& configured = config.sinks.file_store.directory;
  return configured.empty() ? (std::filesystem::path(config.data_dir) / "store").string()
                            : configured;
}

std::unique_ptr<server::HttpServer> make_server(asio::any_io_executor executor, const char* name,
                                                const std::string& listen,
                                                server::HttpRouter router,
                                                MetricsRegistry& metrics) {
  if (listen.empty()) return nullptr;
  auto server = std::make_unique<server::HttpServer>(executor, name, listen, std::move(router), metrics);
  server->start();
  spdlog::info("{} server listening on {} (port {})", name, listen, server->port());
  return server;
}

}  // namespace

int Agent::run() {
  const auto started = Clock::now();
  std::optional<DataDirLock> lock;
  try {
    std::filesystem::create_directories(config_.data_dir);
    lock.emplace(config_.data_dir);
  } catch (const std::exception& e) {
    spdlog::critical("cannot use data directory {}: {}", config_.data_dir, e.what());
    return 1;
  }
  if (!config_.sinks.file_store.enabled) {
    spdlog::critical("no sink is enabled: enable sinks.file_store");
    return 1;
  }

  MetricsRegistry metrics;
  register_process_metrics(metrics);
  HealthRegistry health;
  asio::io_context input_loop(1);
  asio::io_context sink_loop(1);

  CheckpointStore checkpoints((std::filesystem::path(config_.data_dir) / "checkpoints.json").string());
  std::unique_ptr<FileStoreSink> store;
  CheckpointTracker tracker;
  try {
    store = std::make_unique<FileStoreSink>(config_.sinks.file_store, store_directory(config_), metrics);
    tracker.restore(recover_positions(checkpoints.load(), *store));
  } catch (const std::exception& e) {
    spdlog::critical("cannot open the file store: {}", e.what());
    return 1;
  }
  health.set("sink.file_store", true);

  Pipeline pipeline(config_.pipeline, sink_loop.get_executor(), *store, tracker, metrics, health);
  CheckpointSaver saver(sink_loop.get_executor(), checkpoints, tracker, *store,
                        config_.checkpoint_interval, metrics);
  auto docker_client = docker::make_docker_client(input_loop.get_executor(), config_.docker, metrics);
  std::unique_ptr<docker_input::ContainerDiscovery> discovery;
  if (config_.docker_input.enabled) {
    discovery = std::make_unique<docker_input::ContainerDiscovery>(
        input_loop.get_executor(), *docker_client, pipeline, tracker, config_.docker_input, metrics,
        health);
  }

  server::ApiSources sources;
  sources.containers = [&] {
    return discovery ? discovery->snapshot().dump() : std::string("[]");
  };
  sources.status = [&] {
    return nlohmann::json{
        {"version", lc::agent_version()},
        {"uptime_seconds",
         std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()},
        {"containers_followed", discovery ? discovery->active_streams() : 0},
        {"pipeline_memory_bytes", pipeline.memory_in_use()},
        {"healthy", health.all_healthy()}}
        .dump();
  };
  std::unique_ptr<server::HttpServer> api_server, metrics_server;
  try {
    api_server = make_server(input_loop.get_executor(), "api", config_.server.listen,
                             server::make_api_router(metrics, health, sources), metrics);
    metrics_server = make_server(input_loop.get_executor(), "metrics", config_.server.metrics_listen,
                                 server::make_metrics_router(metrics, health), metrics);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }

  auto sink_work = asio::make_work_guard(sink_loop);
  std::thread sink_thread([&] { sink_loop.run(); });
  pipeline.start();
  saver.start();
  if (discovery) discovery->start();
  spdlog::info("log-capturer {} started: data in {}, store in {}", lc::agent_version(), config_.data_dir,
               store_directory(config_));

  // Shutdown: stop reading, let the pipeline deliver what it holds (until the deadline),
  // then save the checkpoints one last time.
  asio::signal_set signals(input_loop, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("received signal {}: draining and shutting down", signal);
    if (discovery) discovery->stop();
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
          while ((!pipeline.stopped() || (discovery && discovery->active_streams() > 0)) &&
                 Clock::now() < give_up) {
            poll.expires_after(std::chrono::milliseconds(20));
            co_await poll.async_wait(asio::use_awaitable);
          }
          docker_client->close_idle();
          if (Clock::now() >= give_up) {
            spdlog::warn("shutdown: tasks still running after the deadline; stopping anyway");
            input_loop.stop();
          }
        },
        asio::detached);
  });

  input_loop.run();
  asio::post(sink_loop, [&] { saver.stop(); });
  sink_work.reset();
  sink_thread.join();
  const bool saved = saver.save_now();
  spdlog::info("log-capturer stopped{}", saved ? "" : " (the last checkpoint save failed)");
  return 0;
}

}  // namespace lc
