#pragma once

#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "core/task_count.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/input.hpp"
#include "inputs/input_factory.hpp"

namespace lc::docker {
class DockerClient;
}

namespace lc::multiline {
class MultilineSelection;
}

namespace lc::docker_input {

class ClockStepWatch;
class ContainerDiscovery;

// The docker input: its Engine API client, the discovery that follows every container, and
// the watch that tells the followers about clock steps.
class DockerInput : public Input {
 public:
  // Throws std::exception when the engine's address or TLS files are unusable.
  DockerInput(const InputSpec& spec, const InputBuildContext& context);
  ~DockerInput() override;

  void start() override;
  void stop() override;
  std::size_t active_streams() const override;
  bool finished() const override { return stopped_ && tasks_.running() == 0; }
  // The followed containers, for the HTTP API.
  nlohmann::json containers() const;

 private:
  TaskCount tasks_;  // the discovery's, its followers' and the clock watch's
  bool stopped_ = false;
  const DockerInputConfig options_;  // the discovery keeps a reference
  std::unique_ptr<docker::DockerClient> client_;
  // Before the discovery: its followers' joiners count into it.
  std::unique_ptr<multiline::MultilineSelection> multiline_;
  std::unique_ptr<ContainerDiscovery> discovery_;
  std::unique_ptr<ClockStepWatch> clock_watch_;
};

}  // namespace lc::docker_input
