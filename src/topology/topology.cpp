#include "topology/topology.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "buffer/dead_letter/dead_letter_store.hpp"
#include "buffer/disk_buffer/disk_buffer.hpp"
#include "processors/all_processors.hpp"
#include "sinks/file_store/file_store_options.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "topology/store_recovery.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

std::string store_directory(const AgentConfig& config) {
  const SinkSpec* store = config.find_sink("file_store");
  return store == nullptr || store->type != "file_store"
             ? std::string()
             : file_store_directory(store->options_as<FileStoreOptions>(), config.data_dir);
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

}  // namespace

Topology::Topology(const AgentConfig& config, MetricsRegistry& metrics, HealthRegistry& health,
                   asio::io_context& input_loop, asio::io_context& sink_loop,
                   DeadLetterStore* dead_letters)
    : config_(config),
      metrics_(metrics),
      input_executor_(input_loop.get_executor()),
      sink_executor_(sink_loop.get_executor()),
      checkpoints_((std::filesystem::path(config.data_dir) / "checkpoints.json").string()),
      store_directory_(store_directory(config)) {
  build_sinks_and_restore(config, metrics, health, dead_letters);
  try {
    pipeline_ = std::make_unique<Pipeline>(
        config.pipeline, sink_loop.get_executor(), sinks_->lanes(), tracker_, metrics, health,
        sinks_->dead_letter_hook(), Pipeline::Stages{config.processors, config.routes});
  } catch (const std::exception& e) {
    throw TopologyError(2, fmt::format("pipeline: {}", e.what()));
  }
  log_stages(config, sinks_->names());
  saver_ =
      std::make_unique<CheckpointSaver>(sink_loop.get_executor(), checkpoints_, tracker_,
                                        sinks_->file_store(), config.checkpoint_interval, metrics);
  sinks_->register_flushes(*saver_);
  inputs_ = std::make_unique<InputSet>(config_, input_loop.get_executor(), *pipeline_, tracker_,
                                       metrics, health);
}

Topology::~Topology() = default;

void Topology::build_sinks_and_restore(const AgentConfig& config, MetricsRegistry& metrics,
                                       HealthRegistry& health, DeadLetterStore* dead_letters) {
  try {
    sinks_ =
        std::make_unique<SinkSet>(config, metrics, dead_letters, built_in_sink_types(), &health);
    if (sinks_->file_store() != nullptr) sinks_->file_store()->report_health_to(health);
    const CheckpointState saved = checkpoints_.load();
    // When the file store is the only sink, what it holds is delivered: it proves positions
    // past the checkpoint (no duplicate after a kill -9). With other sinks it proves nothing
    // about them, so the checkpoint (what every sink acknowledged) is where to resume.
    const bool store_is_proof = sinks_->file_store() != nullptr && sinks_->names().size() == 1;
    CheckpointState resumed =
        store_is_proof ? recover_positions(saved, *sinks_->file_store()) : saved;
    upgrade_legacy_file_checkpoints(resumed);  // tailed files: one key per file, not per path
    tracker_.restore(resumed.containers, resumed.container_files);
  } catch (const std::exception& e) {
    throw TopologyError(1, e.what());
  }
}

void Topology::start() {
  sinks_->start_all();
  pipeline_->start();
  saver_->start();
  inputs_->start_all();
}

void Topology::drain(std::chrono::steady_clock::time_point deadline) {
  inputs_->stop_all();
  pipeline_->stop(deadline);
}

bool Topology::drained() const { return pipeline_->stopped() && active_streams() == 0; }

std::string Topology::waiting_for() const {
  return fmt::format("{}{} input streams to end",
                     pipeline_->stopped() ? "" : "the sinks to drain and ", active_streams());
}

void Topology::stop_saver() { saver_->stop(); }

bool Topology::finish(std::chrono::steady_clock::time_point deadline) {
  sinks_->stop_all(deadline);  // the lanes are done with them
  return saver_->save_now();
}

std::optional<std::string> Topology::apply_in_place(
    const AgentConfig& next, const TopologyDiff& diff,
    std::chrono::steady_clock::time_point deadline) {
  finish_retiring_sinks(std::chrono::steady_clock::now());  // those an earlier reload left
  if (!diff.whole_rebuild_reasons.empty()) return diff.whole_rebuild_reasons.front();
  if (auto reason = sinks_->cannot_change_in_place(next, diff)) return reason;
  if (auto reason = change_inputs(next, diff.inputs, deadline)) return reason;
  change_sinks_and_stages(next, diff);
  if (diff.bounds_changed) {
    pipeline_->set_bounds(next.pipeline);
    saver_->set_interval(next.checkpoint_interval);
    config_.pipeline = next.pipeline;
    config_.checkpoint_interval = next.checkpoint_interval;
  }
  finish_retiring_sinks(deadline);
  return std::nullopt;
}

template <typename Work>
auto Topology::on_input_loop(Work work) -> decltype(work()) {
  std::packaged_task<decltype(work())()> task(std::move(work));
  auto result = task.get_future();
  asio::post(input_executor_, [&task] { task(); });
  return result.get();
}

std::optional<std::string> Topology::change_inputs(const AgentConfig& next,
                                                   const TopologyDiff::Names& diff,
                                                   std::chrono::steady_clock::time_point deadline) {
  if (diff.empty()) return std::nullopt;
  std::vector<std::string> gone = diff.removed;
  gone.insert(gone.end(), diff.changed.begin(), diff.changed.end());
  std::vector<std::string> build = diff.changed;
  build.insert(build.end(), diff.added.begin(), diff.added.end());
  on_input_loop([&] { inputs_->stop(gone); });
  // What they read but could not submit is read again by their successors: an input resumes
  // after what it submitted, and the tracker (kept) knows that.
  while (!on_input_loop([&] { return inputs_->finished(gone); })) {
    if (std::chrono::steady_clock::now() >= deadline) {
      return fmt::format("inputs {} did not finish within the shutdown timeout",
                         fmt::join(gone, ", "));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  on_input_loop([&] { inputs_->replace(gone, next, build); });  // throws TopologyError
  config_.docker = next.docker;
  config_.inputs = next.inputs;
  return std::nullopt;
}

void Topology::change_sinks_and_stages(const AgentConfig& next, const TopologyDiff& diff) {
  SinkSet::Prepared prepared;
  try {
    prepared = sinks_->prepare(next, diff, metrics_);
  } catch (const std::exception& e) {
    throw TopologyError(1, e.what());
  }
  Pipeline::SinkChanges changes = prepared.lane_changes();
  changes.released = [sinks = sinks_.get()](Sink& sink) { sinks->release(sink); };
  try {
    pipeline_->reconfigure(Pipeline::Stages{next.processors, next.routes}, std::move(changes));
  } catch (const std::exception& e) {
    const auto now = std::chrono::steady_clock::now();
    for (auto& entry : prepared.added) entry.sink->stop(now);
    for (auto& entry : prepared.replacements) entry.sink->stop(now);
    throw TopologyError(2, fmt::format("pipeline: {}", e.what()));
  }
  sinks_->commit(std::move(prepared));
  config_.sinks = next.sinks;
  config_.processors = next.processors;
  config_.routes = next.routes;
  if (diff.stages_changed || !diff.sinks.empty()) log_stages(config_, sinks_->names());
}

void Topology::finish_retiring_sinks(std::chrono::steady_clock::time_point deadline) {
  if (!sinks_->wait_for_releases(deadline)) {
    spdlog::warn(
        "reload: a replaced or removed sink is still finishing a write; it is stopped once done");
  }
  if (!sinks_->stop_released(deadline)) return;
  // Destroyed where they ran; waited for (briefly) so that their connections and files are
  // closed when the reload returns. Until then their names cannot be added again in place.
  auto destroyed = std::make_shared<std::promise<void>>();
  std::future<void> done = destroyed->get_future();
  asio::post(sink_executor_, [sinks = sinks_.get(), destroyed] {
    sinks->destroy_stopped();
    destroyed->set_value();
  });
  done.wait_for(std::chrono::seconds(2));
}

std::size_t Topology::active_streams() const { return inputs_->active_streams(); }

std::string Topology::containers_json() const { return inputs_->containers_json(); }

nlohmann::json Topology::inputs_status() const { return inputs_->status(); }

std::string Topology::describe_sinks() const {
  std::string names;
  for (const std::string& name : sinks_->names()) names += (names.empty() ? "" : ", ") + name;
  if (sinks_->file_store() != nullptr) names += " (store in " + store_directory_ + ")";
  return names;
}

}  // namespace lc
