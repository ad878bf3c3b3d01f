#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "config/agent_config.hpp"
#include "metrics/metrics_registry.hpp"
#include "topology/topology_diff.hpp"
#include "topology/topology_runner.hpp"

namespace lc {

// A configuration as loaded, with the hash of what it was loaded from (shown in the status).
struct LoadedConfig {
  AgentConfig config;
  std::string hash;
};
// Reads the configuration again (the same file and command-line overrides as at start);
// throws ConfigError.
using ConfigSource = std::function<LoadedConfig()>;

// The first change from `running` to `next` that only a restart can apply (the data directory,
// the listeners, the dead-letter store: what the process holds across topologies), said for the
// operator; nullopt when `next` can be loaded while running.
std::optional<std::string> find_restart_only_change(const AgentConfig& running,
                                                    const AgentConfig& next);

// "sha256:<hex>" of a configuration file's bytes, as the loader read them.
std::string hash_config_text(std::string_view text);

struct ReloadOutcome {
  bool success = false;
  bool coalesced = false;  // an earlier reload already read the file as this request saw it
  std::string error;       // what was wrong (file, line, key), when !success
};

// Owns the running topology and applies a reloaded configuration to it (SIGHUP, POST
// /api/v1/reload, config.watch): the new file is read and validated off the event loops; an
// invalid one, or one changing what needs a restart, is refused and the running topology stays.
// Otherwise the two configurations are compared component by component (TopologyDiff): what
// did not change keeps running, and the changes are applied in place where the topology can
// (the processors and routes swapped as one snapshot). Other changes take a whole rebuild: the
// running topology drains within the shutdown timeout (the sinks deliver what it holds and the
// checkpoints are saved) and one built from the new file resumes from those checkpoints. Either
// way no line is lost or sent twice and no container is read again from its start. Counted in
// log_capturer_config_reloads_total{result} and log_capturer_config_reload_applied_total{how}.
//
// Threads: start(), reload() and stop() run on one thread at a time (the agent's reload
// worker); with_current() and status() from any thread.
class ConfigReloader {
 public:
  using Clock = std::chrono::steady_clock;

  ConfigReloader(ConfigSource source, LoadedConfig initial, MetricsRegistry& metrics,
                 HealthRegistry& health, DeadLetterStore* dead_letters);
  ~ConfigReloader();

  // Builds and starts the first topology; throws TopologyError.
  void start();
  // A number to pass to reload(), taken when the reload is requested.
  std::uint64_t request() { return ++requests_; }
  // Reloads unless a reload that started after `ticket` was taken has already run (coalesced).
  ReloadOutcome reload(std::uint64_t ticket);
  // The final shutdown: no reload after it. False when the last checkpoint save failed.
  bool stop();
  // Set when a refused topology could not be replaced by the previous one either: none runs,
  // and the agent exits with this code.
  std::optional<int> fatal_exit_code() const;
  // Called (on the worker) when that happens, to stop the process.
  void on_fatal(std::function<void()> stop_process) { on_fatal_ = std::move(stop_process); }

  // Runs `use` with the running topology (nullopt while a reload replaces it), holding it for the
  // call: keep it short.
  template <typename T>
  std::optional<T> with_current(const std::function<T(TopologyRunner&)>& use) {
    std::lock_guard lock(current_mutex_);
    if (!current_) return std::nullopt;
    return use(*current_);
  }
  // Reads the running topology's state on its input loop (TopologyRunner::query); nullopt while
  // a reload replaces it or when the loop did not answer in time.
  template <typename T>
  std::optional<T> query_running(std::function<T(Topology&)> read) {
    std::lock_guard lock(current_mutex_);
    if (!current_) return std::nullopt;
    return current_->query<T>(std::move(read));
  }
  // {"hash", "loaded_at", "reloads": {"success", "failure"}, "last_reload": {...}}.
  nlohmann::json status() const;
  // The running configuration's config.* keys and hash, from any thread (ConfigFileWatch).
  ConfigWatchConfig watch_settings() const;
  std::string running_hash() const;
  const AgentConfig& config() const { return running_.config; }  // reload worker only

 private:
  ReloadOutcome fail(std::string error, Clock::time_point started);
  ReloadOutcome succeed(LoadedConfig next, const TopologyDiff& diff, const char* how,
                        Clock::time_point started);
  // Applies `diff` to the running topology (in place, or by a whole rebuild): says how, or
  // throws std::runtime_error with what failed (the previous configuration then runs).
  const char* apply(const AgentConfig& next, const TopologyDiff& diff);
  void rebuild_whole(const AgentConfig& next);
  void replace_topology(const AgentConfig& config);
  std::unique_ptr<TopologyRunner> take_current();

  ConfigSource source_;
  LoadedConfig running_;
  MetricsRegistry& metrics_;
  HealthRegistry& health_;
  DeadLetterStore* dead_letters_;
  Counter& successes_;
  Counter& failures_;
  Gauge& last_successful_;

  mutable std::mutex current_mutex_;
  std::unique_ptr<TopologyRunner> current_;
  std::atomic<std::uint64_t> requests_{0};
  std::uint64_t started_through_ = 0;  // requests taken before the last reload began
  bool stopped_ = false;
  bool guard_loss_logged_ = false;
  std::atomic<int> fatal_exit_code_{-1};
  std::function<void()> on_fatal_;

  mutable std::mutex status_mutex_;
  nlohmann::json last_reload_;  // null until the first reload
  std::string loaded_at_;       // RFC 3339
  std::string hash_;
  ConfigWatchConfig watch_;
};

}  // namespace lc
