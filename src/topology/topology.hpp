#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "buffer/checkpoint_store.hpp"
#include "config/agent_config.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/pipeline.hpp"
#include "topology/input_set.hpp"
#include "topology/sink_set.hpp"
#include "topology/topology_diff.hpp"

namespace lc {

class HealthRegistry;
class MetricsRegistry;

// A component that could not be built; `exit_code` is what the process should exit with
// (2: the configuration, 1: the environment).
class TopologyError : public std::runtime_error {
 public:
  TopologyError(int exit_code, const std::string& message)
      : std::runtime_error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

// The running system built from one configuration: inputs -> pipeline (processors, router,
// lanes) -> sinks, with the checkpoint tracker and saver. It owns every component and runs
// them on the agent's two loops; the Agent keeps the process concerns (data directory lock,
// signals, listeners, exit codes).
//
// Lifecycle: build (constructor), start(), then drain(deadline) on the input loop: inputs stop,
// the pipeline delivers what it holds until the deadline; drained() says when that is done.
// After both loops have stopped, finish() stops the sinks and saves the checkpoints a last time.
class Topology {
 public:
  // Throws TopologyError saying which component failed. `dead_letters` (the process's, null:
  // none) takes the records sinks refuse.
  Topology(const AgentConfig& config, MetricsRegistry& metrics, HealthRegistry& health,
           boost::asio::io_context& input_loop, boost::asio::io_context& sink_loop,
           DeadLetterStore* dead_letters);
  ~Topology();
  Topology(const Topology&) = delete;
  Topology& operator=(const Topology&) = delete;

  void start();
  // On the input loop: stop reading and let the pipeline deliver what it holds until `deadline`.
  void drain(std::chrono::steady_clock::time_point deadline);
  // Whether the pipeline has delivered (or given up at the deadline) and every input stream
  // has ended.
  bool drained() const;
  // What a slow drain waits for, for the log.
  std::string waiting_for() const;
  // Posted to the sink loop before it stops: no more periodic saves.
  void stop_saver();
  // After both loops have stopped: sinks stopped, checkpoints saved. False if the save failed.
  bool finish(std::chrono::steady_clock::time_point deadline);

  // A reload applied in place, from the reload worker while the loops run: changed sinks
  // replaced in their lanes (queues and disk buffers kept), added ones given lanes, removed ones
  // dropped (counted), with the processors and routes swapped as one snapshot; the previous
  // sink instances are stopped once their lanes let go of them (waited for until `deadline`,
  // else later). Returns why `diff` needs a whole rebuild instead (nothing changed then), or
  // nullopt once applied. Throws TopologyError when a new component cannot be built (nothing
  // changed then either).
  std::optional<std::string> apply_in_place(const AgentConfig& next, const TopologyDiff& diff,
                                            std::chrono::steady_clock::time_point deadline);
  // The configuration it runs: the one it was built from, with the changes applied in place.
  const AgentConfig& config() const { return config_; }

  // For the HTTP API and the start-up log.
  Pipeline& pipeline() { return *pipeline_; }
  DeadLetterStore* dead_letters() const { return sinks_->dead_letters(); }
  std::size_t active_streams() const;
  std::string containers_json() const;  // the followed containers, "[]" without a docker input
  std::string describe_sinks() const;   // "file_store (store in ...), loki"
  // [{"name":..., "type":..., "active_streams":n}] for the status: the running inputs.
  nlohmann::json inputs_status() const;

 private:
  void build_sinks_and_restore(const AgentConfig& config, MetricsRegistry& metrics,
                               HealthRegistry& health, DeadLetterStore* dead_letters);
  // The inputs of apply_in_place(): why they could not be changed in time, or nullopt.
  std::optional<std::string> change_inputs(const AgentConfig& next, const TopologyDiff::Names& diff,
                                           std::chrono::steady_clock::time_point deadline);
  // Runs `work` on the input loop, where the inputs live, and waits for it (rethrowing).
  template <typename Work>
  auto on_input_loop(Work work) -> decltype(work());
  // The sinks and stages of apply_in_place().
  void change_sinks_and_stages(const AgentConfig& next, const TopologyDiff& diff);
  // Stops and destroys (on the sink loop) the sink instances reloads replaced or removed once
  // their lanes have let go of them, waiting for that until `deadline`.
  void finish_retiring_sinks(std::chrono::steady_clock::time_point deadline);

  AgentConfig config_;  // inputs built in place keep a reference (InputBuildContext)
  MetricsRegistry& metrics_;
  boost::asio::any_io_executor input_executor_;
  boost::asio::any_io_executor sink_executor_;
  // Declared in build order: destroyed in reverse, inputs first, the checkpoint store last.
  CheckpointStore checkpoints_;
  std::unique_ptr<SinkSet> sinks_;
  CheckpointTracker tracker_;
  std::unique_ptr<Pipeline> pipeline_;
  std::unique_ptr<CheckpointSaver> saver_;
  std::unique_ptr<InputSet> inputs_;
  std::string store_directory_;
};

}  // namespace lc
