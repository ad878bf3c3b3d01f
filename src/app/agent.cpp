#include "app/agent.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
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
#include "buffer/dead_letter/dead_letter_store.hpp"
#include "config/version.hpp"
#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/process_stats.hpp"
#include "server/api_routes.hpp"
#include "server/dlq_routes.hpp"
#include "server/http_server.hpp"
#include "sinks/sink_directories.hpp"
#include "topology/topology.hpp"

namespace lc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

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

// Creates the data directory, narrows what is there to the configured access and locks it
// against a second agent; false (after saying why) when it cannot be used.
bool lock_data_directory(const AgentConfig& config, std::optional<DataDirLock>& lock) {
  DataAccess access;
  try {
    if (!config.data_dir_group.empty()) access.group = find_group(config.data_dir_group);
    restrict_new_files(access);  // before the first file: store, checkpoints, buffers, DLQ
    std::filesystem::create_directories(config.data_dir);
    lock.emplace(config.data_dir);
  } catch (const std::exception& e) {
    spdlog::critical("cannot use data directory {}: {}", config.data_dir, e.what());
    return false;
  }
  tighten_data_directories(config, access);
  return true;
}

// The HTTP API and /metrics listeners, both on the input loop.
struct Servers {
  std::unique_ptr<server::HttpServer> api;
  std::unique_ptr<server::HttpServer> metrics;

  void stop() {
    if (api) api->stop();
    if (metrics) metrics->stop();
  }
};

// Throws std::exception when a listener cannot bind.
Servers start_servers(asio::io_context& input_loop, const AgentConfig& config,
                      MetricsRegistry& metrics, HealthRegistry& health, Topology& topology,
                      asio::thread_pool& api_work, Clock::time_point started) {
  server::ApiSources sources;
  sources.containers = [&topology] { return topology.containers_json(); };
  sources.status = [&topology, &health, started] {
    return nlohmann::json{
        {"version", lc::agent_version()},
        {"uptime_seconds",
         std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()},
        {"containers_followed", topology.active_streams()},
        {"inputs", topology.inputs_status()},
        {"pipeline_memory_bytes", topology.pipeline().memory_in_use()},
        {"healthy", health.all_healthy()}}
        .dump();
  };
  server::HttpRouter api_router = server::make_api_router(metrics, health, sources);
  if (DeadLetterStore* dead_letters = topology.dead_letters()) {
    Pipeline& pipeline = topology.pipeline();
    DeadLetterRedelivery redelivery;
    redelivery.has_sink = [&pipeline](std::string_view sink) { return pipeline.has_sink(sink); };
    redelivery.redeliver = [&pipeline](const std::string& sink, std::vector<LogRecord> records,
                                       RedeliveryDone done) {
      return pipeline.redeliver(sink, std::move(records), std::move(done));
    };
    // The dead-letter API reads segments and builds large answers: not on the inputs' thread.
    server::add_dead_letter_routes(api_router, *dead_letters, std::move(redelivery),
                                   api_work.get_executor());
  }
  server::HttpServerOptions api_options;
  api_options.host_policy.emplace(config.server.allowed_hosts);
  Servers servers;
  servers.api = make_server(input_loop.get_executor(), "api", config.server.listen,
                            std::move(api_router), metrics, std::move(api_options));
  servers.metrics = make_server(input_loop.get_executor(), "metrics", config.server.metrics_listen,
                                server::make_metrics_router(metrics, health), metrics);
  return servers;
}

// The shutdown after `signal`: listeners close, the topology drains until the deadline; the
// input loop then runs out of work and returns. Sets `forced_stop` when tasks outlive it.
void shut_down(asio::io_context& input_loop, Topology& topology, Servers& servers,
               Clock::duration timeout, bool& forced_stop) {
  servers.stop();
  topology.drain(Clock::now() + timeout);
  asio::co_spawn(
      input_loop,
      [&input_loop, &topology, &forced_stop, timeout]() -> asio::awaitable<void> {
        // Every task ends by itself once stopped; input_loop.run() then returns with no
        // handler left behind (a frame destroyed later could touch freed components).
        asio::steady_timer poll(input_loop);
        const auto give_up = Clock::now() + timeout + std::chrono::seconds(5);
        auto report_at = Clock::now() + std::chrono::seconds(3);
        while (!topology.drained() && Clock::now() < give_up) {
          if (Clock::now() >= report_at) {  // a slow shutdown says what it waits for
            spdlog::info("shutdown: waiting for {}", topology.waiting_for());
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
}

}  // namespace

int Agent::run() {
  const auto started = Clock::now();
  std::optional<DataDirLock> lock;
  if (!lock_data_directory(config_, lock)) return 1;
  MetricsRegistry metrics;
  register_process_metrics(metrics);
  HealthRegistry health;
  asio::io_context input_loop(1);
  asio::io_context sink_loop(1);
  std::unique_ptr<Topology> topology;
  try {
    topology = std::make_unique<Topology>(config_, metrics, health, input_loop, sink_loop);
  } catch (const TopologyError& e) {
    spdlog::critical("{}", e.what());
    return e.exit_code();
  }
  asio::thread_pool api_work(1);
  Servers servers;
  try {
    servers = start_servers(input_loop, config_, metrics, health, *topology, api_work, started);
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
  topology->start();
  spdlog::info("log-capturer {} started: data in {}, sinks: {}", lc::agent_version(),
               config_.data_dir, topology->describe_sinks());

  // Shutdown: stop reading, let the pipeline deliver what it holds (until the deadline),
  // then save the checkpoints one last time.
  bool forced_stop = false;
  asio::signal_set signals(input_loop, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& error, int signal) {
    if (error) return;
    spdlog::info("received signal {}: draining and shutting down", signal);
    shut_down(input_loop, *topology, servers, config_.shutdown_timeout, forced_stop);
  });

  input_loop.run();
  if (forced_stop) {
    // Tasks left suspended would be destroyed with the loop, after the components they use:
    // give those already cancelled (Docker calls, closed servers) a moment to end first.
    input_loop.restart();
    input_loop.run_for(std::chrono::seconds(1));
  }
  asio::post(sink_loop, [&] { topology->stop_saver(); });
  sink_work.reset();
  sink_thread.join();
  const bool saved = topology->finish(Clock::now() + std::chrono::seconds(5));
  spdlog::info("log-capturer stopped{}", saved ? "" : " (the last checkpoint save failed)");
  return 0;
}

}  // namespace lc
