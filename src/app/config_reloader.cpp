#include "app/config_reloader.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "config/config_error.hpp"
#include "config/yaml_parse_guard.hpp"
#include "core/timestamp.hpp"

namespace lc {

namespace {
constexpr const char* kReloadsHelp =
    "Configuration reloads (SIGHUP, POST /api/v1/reload), by result.";
}  // namespace

std::optional<std::string> find_restart_only_change(const AgentConfig& running,
                                                    const AgentConfig& next) {
  const auto needs_restart = [](std::string_view key) {
    return fmt::format("{} changed: it applies only at a restart (the running value stays)", key);
  };
  if (next.data_dir != running.data_dir) return needs_restart("data_dir");
  if (next.data_dir_group != running.data_dir_group) return needs_restart("data_dir_group");
  if (next.server.listen != running.server.listen) return needs_restart("server.listen");
  if (next.server.metrics_listen != running.server.metrics_listen) {
    return needs_restart("server.metrics_listen");
  }
  if (next.server != running.server) return needs_restart("server.allowed_hosts");
  if (next.dead_letters != running.dead_letters) return needs_restart("dead_letters");
  return std::nullopt;
}

std::string hash_config_text(std::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr) != 1) {
    throw std::runtime_error("sha256 failed");
  }
  std::string hex = "sha256:";
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

ConfigReloader::ConfigReloader(ConfigSource source, LoadedConfig initial, MetricsRegistry& metrics,
                               HealthRegistry& health, DeadLetterStore* dead_letters)
    : source_(std::move(source)),
      running_(std::move(initial)),
      metrics_(metrics),
      health_(health),
      dead_letters_(dead_letters),
      successes_(metrics.counter("log_capturer_config_reloads_total", kReloadsHelp,
                                 {{"result", "success"}})),
      failures_(metrics.counter("log_capturer_config_reloads_total", kReloadsHelp,
                                {{"result", "failure"}})),
      last_successful_(metrics.gauge("log_capturer_config_last_reload_successful",
                                     "1 when the last reload (or the start) loaded the file, 0 "
                                     "when it was refused and an older configuration runs.")),
      loaded_at_(format_rfc3339_nano(now_ns())),
      hash_(running_.hash),
      watch_(running_.config.config_watch) {
  last_successful_.set(1);
}

ConfigReloader::~ConfigReloader() { stop(); }

void ConfigReloader::start() { replace_topology(running_.config); }

std::unique_ptr<TopologyRunner> ConfigReloader::take_current() {
  std::lock_guard lock(current_mutex_);
  return std::move(current_);
}

void ConfigReloader::replace_topology(const AgentConfig& config) {
  auto runner = std::make_unique<TopologyRunner>(config, metrics_, health_, dead_letters_);
  runner->start();
  std::lock_guard lock(current_mutex_);
  current_ = std::move(runner);
}

ReloadOutcome ConfigReloader::fail(std::string error, Clock::time_point started) {
  spdlog::error("reload refused, the running configuration stays: {}", error);
  failures_.inc();
  last_successful_.set(0);
  std::lock_guard lock(status_mutex_);
  last_reload_ = {{"result", "failure"},
                  {"at", format_rfc3339_nano(now_ns())},
                  {"seconds", std::chrono::duration<double>(Clock::now() - started).count()},
                  {"error", error}};
  return ReloadOutcome{false, false, std::move(error)};
}

ReloadOutcome ConfigReloader::reload(std::uint64_t ticket) {
  if (stopped_) return ReloadOutcome{false, false, "the agent is shutting down"};
  if (ticket <= started_through_) return ReloadOutcome{true, true, {}};
  started_through_ = requests_.load();
  const auto started = Clock::now();
  LoadedConfig next;
  try {
    next = source_();
  } catch (const std::exception& e) {  // ConfigError: one "file:line:col: key: problem" per line
    return fail(e.what(), started);
  }
  if (yaml_parse_guard_lost() && !guard_loss_logged_) {
    guard_loss_logged_ = true;
    spdlog::warn(
        "reload: the YAML parser guard's helper process stopped answering; files are parsed "
        "without it until the agent restarts (a file that hangs yaml-cpp would hang the reload)");
  }
  if (auto change = find_restart_only_change(running_.config, next.config)) {
    return fail(*change, started);
  }
  const TopologyDiff diff = diff_topologies(running_.config, next.config);
  try {
    const char* how = apply(next.config, diff);
    return succeed(std::move(next), diff, how, started);
  } catch (const std::exception& e) {
    return fail(e.what(), started);
  }
}

const char* ConfigReloader::apply(const AgentConfig& next, const TopologyDiff& diff) {
  if (diff.empty()) return "unchanged";
  spdlog::info("reload: changes: {}", diff.describe());
  // current_ is replaced only on this thread: used here without the lock, so that the status
  // and the API are not held while a replaced sink finishes its write.
  if (!current_) throw std::runtime_error("no configuration runs (an earlier reload failed)");
  std::optional<std::string> whole_because;
  try {
    whole_because = current_->topology().apply_in_place(
        next, diff, Clock::now() + running_.config.shutdown_timeout);
  } catch (const std::exception& e) {  // TopologyError: nothing was changed
    throw std::runtime_error(fmt::format("the new configuration could not start: {}", e.what()));
  }
  if (!whole_because) return "in_place";
  spdlog::info("reload: {}: the whole topology is rebuilt", *whole_because);
  rebuild_whole(next);
  return "whole_rebuild";
}

// Drains the running topology and starts one built from `next`; when that fails, the previous
// configuration is started again (or, failing that too, the agent stops).
void ConfigReloader::rebuild_whole(const AgentConfig& next) {
  spdlog::info("reload: draining the running configuration");
  if (std::unique_ptr<TopologyRunner> old = take_current()) {
    old->stop(running_.config.shutdown_timeout);
  }  // destroyed here: its files, sockets and threads are gone before the next one opens them
  try {
    replace_topology(next);
  } catch (const std::exception& e) {  // TopologyError, or a component that failed to start
    const std::string error = fmt::format("the new configuration could not start: {}", e.what());
    try {
      replace_topology(running_.config);  // back to what ran
    } catch (const std::exception& again) {
      spdlog::critical("reload: the previous configuration cannot start again either: {}",
                       again.what());
      const auto* topology_error = dynamic_cast<const TopologyError*>(&again);
      fatal_exit_code_ = topology_error != nullptr ? topology_error->exit_code() : 1;
      if (on_fatal_) on_fatal_();
    }
    throw std::runtime_error(error);
  }
}

ReloadOutcome ConfigReloader::succeed(LoadedConfig next, const TopologyDiff& diff, const char* how,
                                      Clock::time_point started) {
  running_ = std::move(next);
  spdlog::set_level(spdlog::level::from_str(running_.config.log_level));
  successes_.inc();
  metrics_
      .counter("log_capturer_config_reload_applied_total",
               "Successful reloads by how they were applied: unchanged (nothing in the topology "
               "changed), in_place (only the changed components replaced), whole_rebuild.",
               {{"how", how}})
      .inc();
  last_successful_.set(1);
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  spdlog::info("reload: the new configuration runs ({}, {:.3f} s)", how, seconds);
  std::lock_guard lock(status_mutex_);
  loaded_at_ = format_rfc3339_nano(now_ns());
  hash_ = running_.hash;
  watch_ = running_.config.config_watch;
  last_reload_ = {{"result", "success"},
                  {"at", loaded_at_},
                  {"seconds", seconds},
                  {"applied", how},
                  {"changes", diff.describe()}};
  return ReloadOutcome{true, false, {}};
}

bool ConfigReloader::stop() {
  if (stopped_) return true;
  stopped_ = true;
  std::unique_ptr<TopologyRunner> last = take_current();
  return last == nullptr || last->stop(running_.config.shutdown_timeout);
}

std::optional<int> ConfigReloader::fatal_exit_code() const {
  const int code = fatal_exit_code_.load();
  return code >= 0 ? std::optional<int>(code) : std::nullopt;
}

nlohmann::json ConfigReloader::status() const {
  std::lock_guard lock(status_mutex_);
  return {{"hash", hash_},
          {"loaded_at", loaded_at_},
          {"reloads", {{"success", successes_.value()}, {"failure", failures_.value()}}},
          {"last_reload", last_reload_}};
}

ConfigWatchConfig ConfigReloader::watch_settings() const {
  std::lock_guard lock(status_mutex_);
  return watch_;
}

std::string ConfigReloader::running_hash() const {
  std::lock_guard lock(status_mutex_);
  return hash_;
}

}  // namespace lc
