#include "topology/input_set.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>

#include "inputs/all_inputs.hpp"
#include "inputs/docker/docker_input.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "topology/topology.hpp"

namespace lc {

InputSet::InputSet(const AgentConfig& config, boost::asio::any_io_executor executor,
                   Pipeline& pipeline, CheckpointTracker& tracker, MetricsRegistry& metrics,
                   HealthRegistry& health)
    : config_(config),
      executor_(executor),
      pipeline_(pipeline),
      tracker_(tracker),
      metrics_(metrics),
      health_(health),
      json_file_metrics_(metrics),
      watcher_(executor,
               json_file::FileChangeWatcherOptions{json_file_poll_interval(config), false},
               &json_file_metrics_),
      file_checkpoints_(tracker) {
  for (const InputSpec& spec : config_.inputs) {
    if (spec.enabled) add(spec);
  }
}

InputSet::~InputSet() = default;

Input& InputSet::add(const InputSpec& spec) {
  const InputBuildContext context{executor_,          config_,     pipeline_, tracker_,
                                  file_checkpoints_,  metrics_,    health_,   watcher_,
                                  json_file_metrics_, file_claims_};
  try {
    inputs_.push_back(Running{spec, built_in_input_types().find(spec.type)->build(spec, context)});
  } catch (const std::exception& e) {
    throw TopologyError(1, fmt::format("inputs.{}: {}", spec.name, e.what()));
  }
  Input& input = *inputs_.back().input;
  if (auto* docker = dynamic_cast<docker_input::DockerInput*>(&input)) docker_ = docker;
  return input;
}

std::vector<InputSet::Running>::iterator InputSet::find(const std::string& name) {
  return std::find_if(inputs_.begin(), inputs_.end(),
                      [&](const Running& running) { return running.spec.name == name; });
}

void InputSet::start_all() {
  for (const Running& running : inputs_) running.input->start();
}

void InputSet::stop_all() {
  for (const Running& running : inputs_) running.input->stop();
}

std::size_t InputSet::active_streams() const {
  std::size_t streams = 0;
  for (const Running& running : inputs_) streams += running.input->active_streams();
  return streams;
}

nlohmann::json InputSet::status() const {
  nlohmann::json inputs = nlohmann::json::array();
  for (const Running& running : inputs_) {
    inputs.push_back({{"name", running.spec.name},
                      {"type", running.spec.type},
                      {"active_streams", running.input->active_streams()}});
  }
  return inputs;
}

std::string InputSet::containers_json() const {
  return docker_ != nullptr ? docker_->containers().dump() : std::string("[]");
}

void InputSet::stop(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    if (const auto running = find(name); running != inputs_.end()) running->input->stop();
  }
}

bool InputSet::finished(const std::vector<std::string>& names) const {
  return std::all_of(names.begin(), names.end(), [&](const std::string& name) {
    const auto running = std::find_if(inputs_.begin(), inputs_.end(),
                                      [&](const Running& r) { return r.spec.name == name; });
    return running == inputs_.end() || running->input->finished();
  });
}

void InputSet::replace(const std::vector<std::string>& gone, const AgentConfig& next,
                       const std::vector<std::string>& build) {
  std::vector<InputSpec> previous;  // started again if a new one cannot be built
  for (const std::string& name : gone) {
    const auto running = find(name);
    if (running == inputs_.end()) continue;
    if (running->input.get() == docker_) docker_ = nullptr;
    previous.push_back(running->spec);
    inputs_.erase(running);  // finished: none of its tasks touches it any more
  }
  const AgentConfig was = config_;
  const std::size_t kept = inputs_.size();
  config_.docker = next.docker;  // the docker input's engine connection
  config_.inputs = next.inputs;
  try {
    for (const std::string& name : build) add(*next.find_input(name));  // not started yet
  } catch (const TopologyError&) {
    // Never started: nothing of theirs runs.
    inputs_.erase(inputs_.begin() + static_cast<std::ptrdiff_t>(kept), inputs_.end());
    docker_ = nullptr;
    for (const Running& running : inputs_) {
      if (auto* docker = dynamic_cast<docker_input::DockerInput*>(running.input.get())) {
        docker_ = docker;
      }
    }
    config_ = was;
    for (const InputSpec& spec : previous) {
      try {
        add(spec).start();
      } catch (const std::exception& again) {
        spdlog::critical("reload: inputs.{} cannot start again either: {}", spec.name,
                         again.what());
      }
    }
    throw;
  }
  for (std::size_t i = kept; i < inputs_.size(); ++i) inputs_[i].input->start();
}

}  // namespace lc
