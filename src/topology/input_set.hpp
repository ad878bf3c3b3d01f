#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <cstddef>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "inputs/file/file_path_claims.hpp"
#include "inputs/input.hpp"
#include "inputs/json_file/file_change_watcher.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "pipeline/file_checkpoints.hpp"

namespace lc {

class CheckpointTracker;
class HealthRegistry;
class MetricsRegistry;
class Pipeline;
namespace docker_input {
class DockerInput;
}

// The running inputs (config.inputs, each built by its type's factory) and what they share:
// the json-file watcher (one inotify descriptor for every file), its metrics, the per-file
// checkpoints and the file claims. Lives on the input loop: every call but the constructor's
// is made there.
//
// A reload changes inputs one by one: stop() the removed and changed ones, wait until they
// have finished() (their tasks ended; what they read but could not submit is read again, since
// an input resumes after what it submitted), then replace() them.
class InputSet {
 public:
  // Throws TopologyError naming the input that cannot be built.
  InputSet(const AgentConfig& config, boost::asio::any_io_executor executor, Pipeline& pipeline,
           CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health);
  ~InputSet();
  InputSet(const InputSet&) = delete;
  InputSet& operator=(const InputSet&) = delete;

  void start_all();
  void stop_all();
  std::size_t active_streams() const;
  // [{"name":..., "type":..., "active_streams":n}] for the status.
  nlohmann::json status() const;
  std::string containers_json() const;  // the followed containers, "[]" without a docker input

  // ---- A reload ----
  void stop(const std::vector<std::string>& names);
  bool finished(const std::vector<std::string>& names) const;
  // Destroys the `gone` inputs (finished), then builds and starts the `build` ones from `next`.
  // Throws TopologyError when one cannot be built; the previous instances of the changed ones
  // are then started again from their old options.
  void replace(const std::vector<std::string>& gone, const AgentConfig& next,
               const std::vector<std::string>& build);

 private:
  struct Running {
    InputSpec spec;
    std::unique_ptr<Input> input;
  };
  // Builds (throws TopologyError) and adds one input; not started.
  Input& add(const InputSpec& spec);
  std::vector<Running>::iterator find(const std::string& name);

  AgentConfig config_;  // what the inputs were built from (InputBuildContext keeps a reference)
  boost::asio::any_io_executor executor_;
  Pipeline& pipeline_;
  CheckpointTracker& tracker_;
  MetricsRegistry& metrics_;
  HealthRegistry& health_;
  json_file::JsonFileInputMetrics json_file_metrics_;
  json_file::FileChangeWatcher watcher_;
  FileCheckpoints file_checkpoints_;
  file_input::FilePathClaims file_claims_;
  std::vector<Running> inputs_;                  // declared last: destroyed first
  docker_input::DockerInput* docker_ = nullptr;  // one of inputs_, for the containers API
};

}  // namespace lc
