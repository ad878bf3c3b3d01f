#include "app/agent.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/thread_pool.hpp>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "app/config_file_watch.hpp"
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
#include "topology/sink_set.hpp"
#include "topology/topology_runner.hpp"

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

// The HTTP API and /metrics listeners, on the main thread's loop.
struct Servers {
  std::unique_ptr<server::HttpServer> api;
  std::unique_ptr<server::HttpServer> metrics;

  void stop() {
    if (api) api->stop();
    if (metrics) metrics->stop();
  }
};

// What the status shows of the running topology, read on its input loop; null while a reload
// replaces it.
nlohmann::json running_status(ConfigReloader& reloader) {
  return reloader
      .query_running<nlohmann::json>([](Topology& topology) {
        return nlohmann::json{{"containers_followed", topology.active_streams()},
                              {"inputs", topology.inputs_status()},
                              {"pipeline_memory_bytes", topology.pipeline().memory_in_use()}};
      })
      .value_or(nlohmann::json());
}

server::ApiSources api_sources(ConfigReloader& reloader, HealthRegistry& health,
                               Clock::time_point started) {
  server::ApiSources sources;
  sources.containers = [&reloader] {
    return reloader.query_running<std::string>([](Topology& t) { return t.containers_json(); })
        .value_or("[]");
  };
  sources.status = [&reloader, &health, started] {
    nlohmann::json status{
        {"version", lc::agent_version()},
        {"uptime_seconds",
         std::chrono::duration_cast<std::chrono::seconds>(Clock::now() - started).count()},
        {"healthy", health.all_healthy()},
        {"config", reloader.status()}};
    const nlohmann::json running = running_status(reloader);
    status["reloading"] = running.is_null();
    if (!running.is_null()) status.update(running);
    return status.dump();
  };
  return sources;
}

// POST /api/v1/reload: reloads on the worker (never on the listeners' thread) and answers with
// the outcome once the new configuration runs or was refused.
void add_reload_route(server::HttpRouter& router, ConfigReloader& reloader,
                      asio::any_io_executor worker) {
  router.add(
      "POST", "/api/v1/reload",
      [&reloader](const server::HttpRequest&) {
        const ReloadOutcome outcome = reloader.reload(reloader.request());
        nlohmann::json body{{"result", outcome.success ? "success" : "failure"}};
        if (!outcome.error.empty()) body["error"] = outcome.error;
        return server::HttpResponse{
            outcome.success ? 200u : 500u, "application/json", body.dump(), {}};
      },
      worker);
}

void add_dead_letter_api(server::HttpRouter& router, DeadLetterStore& dead_letters,
                         ConfigReloader& reloader, asio::any_io_executor worker) {
  DeadLetterRedelivery redelivery;
  redelivery.has_sink = [&reloader](std::string_view sink) {
    return reloader
        .with_current<bool>(
            [sink](TopologyRunner& r) { return r.topology().pipeline().has_sink(sink); })
        .value_or(false);
  };
  redelivery.redeliver = [&reloader](const std::string& sink, std::vector<LogRecord> records,
                                     RedeliveryDone done) {
    return reloader
        .with_current<bool>([&](TopologyRunner& r) {
          return r.topology().pipeline().redeliver(sink, std::move(records), std::move(done));
        })
        .value_or(false);
  };
  // The dead-letter API reads segments and builds large answers: not on the listeners' thread.
  server::add_dead_letter_routes(router, dead_letters, std::move(redelivery), worker);
}

// Throws std::exception when a listener cannot bind.
Servers start_servers(asio::io_context& server_loop, const AgentConfig& config,
                      MetricsRegistry& metrics, HealthRegistry& health, ConfigReloader& reloader,
                      DeadLetterStore* dead_letters, asio::thread_pool& api_work,
                      Clock::time_point started) {
  server::HttpRouter api_router =
      server::make_api_router(metrics, health, api_sources(reloader, health, started));
  add_reload_route(api_router, reloader, api_work.get_executor());
  if (dead_letters != nullptr) {
    add_dead_letter_api(api_router, *dead_letters, reloader, api_work.get_executor());
  }
  server::HttpServerOptions api_options;
  api_options.host_policy.emplace(config.server.allowed_hosts);
  Servers servers;
  servers.api = make_server(server_loop.get_executor(), "api", config.server.listen,
                            std::move(api_router), metrics, std::move(api_options));
  servers.metrics = make_server(server_loop.get_executor(), "metrics", config.server.metrics_listen,
                                server::make_metrics_router(metrics, health), metrics);
  return servers;
}

// A reload on the worker, coalesced with reloads already waiting.
void post_reload(ConfigReloader& reloader, asio::thread_pool& worker) {
  asio::post(worker, [&reloader, ticket = reloader.request()] { reloader.reload(ticket); });
}

// SIGINT and SIGTERM stop the agent; SIGHUP reloads the configuration (on the worker, coalesced
// with reloads already waiting). Re-arms itself until stopped.
class SignalHandling {
 public:
  SignalHandling(asio::io_context& server_loop, ConfigReloader& reloader, asio::thread_pool& worker,
                 std::function<void()> shut_down)
      : signals_(server_loop, SIGINT, SIGTERM, SIGHUP),
        reloader_(reloader),
        worker_(worker),
        shut_down_(std::move(shut_down)) {
    wait();
  }
  void cancel() { signals_.cancel(); }

 private:
  void wait() {
    signals_.async_wait([this](const boost::system::error_code& error, int signal) {
      if (error) return;
      if (signal != SIGHUP) {
        spdlog::info("received signal {}: draining and shutting down", signal);
        shut_down_();
        return;
      }
      spdlog::info("received SIGHUP: reloading the configuration");
      post_reload(reloader_, worker_);
      wait();
    });
  }

  asio::signal_set signals_;
  ConfigReloader& reloader_;
  asio::thread_pool& worker_;
  std::function<void()> shut_down_;
};

}  // namespace

int Agent::run() {
  const auto started = Clock::now();
  const AgentConfig& config = initial_.config;
  std::optional<DataDirLock> lock;
  if (!lock_data_directory(config, lock)) return 1;
  MetricsRegistry metrics;
  register_process_metrics(metrics);
  HealthRegistry health;
  std::unique_ptr<DeadLetterStore> dead_letters;  // the process's: kept across reloads
  try {
    dead_letters = open_dead_letter_store(config, metrics);
    if (dead_letters) dead_letters->report_health_to(health);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  ConfigReloader reloader(source_, initial_, metrics, health, dead_letters.get());
  try {
    reloader.start();
  } catch (const TopologyError& e) {
    spdlog::critical("{}", e.what());
    return e.exit_code();
  } catch (const std::exception& e) {  // a component that failed to start
    spdlog::critical("{}", e.what());
    return 1;
  }
  // Dead-letter requests and reloads: off the listeners' thread, one at a time.
  asio::thread_pool worker(1);
  asio::io_context server_loop(1);
  Servers servers;
  try {
    servers = start_servers(server_loop, config, metrics, health, reloader, dead_letters.get(),
                            worker, started);
  } catch (const std::exception& e) {
    spdlog::critical("{}", e.what());
    return 1;
  }
  spdlog::info("log-capturer {} started: data in {}, sinks: {}", lc::agent_version(),
               config.data_dir,
               reloader
                   .with_current<std::string>(
                       [](TopologyRunner& r) { return r.topology().describe_sinks(); })
                   .value_or(""));

  std::optional<SignalHandling> signals;
  std::optional<ConfigFileWatch> file_watch;
  const auto stop_listening = [&] {
    servers.stop();
    signals->cancel();
    if (file_watch) file_watch->cancel();
  };
  signals.emplace(server_loop, reloader, worker, stop_listening);
  if (!config_file_.empty()) {
    file_watch.emplace(
        server_loop.get_executor(), config_file_,
        [&reloader] {
          return ConfigFileWatch::Running{reloader.watch_settings(), reloader.running_hash()};
        },
        [&] { post_reload(reloader, worker); });
  }
  reloader.on_fatal([&] { asio::post(server_loop, stop_listening); });
  server_loop.run();  // until a signal closed the listeners
  // The last drain on the worker, after a reload it may be running.
  bool saved = false;
  asio::post(worker, [&] { saved = reloader.stop(); });
  worker.join();
  spdlog::info("log-capturer stopped{}", saved ? "" : " (the last checkpoint save failed)");
  return reloader.fatal_exit_code().value_or(0);
}

}  // namespace lc
