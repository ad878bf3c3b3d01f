#include "inputs/docker/docker_input.hpp"

#include <nlohmann/json.hpp>

#include "config/agent_config.hpp"
#include "docker/docker_client.hpp"
#include "inputs/docker/clock_step_watch.hpp"
#include "inputs/docker/container_discovery.hpp"
#include "processors/multiline/multiline_selection.hpp"

namespace lc::docker_input {

DockerInput::DockerInput(const InputSpec& spec, const InputBuildContext& context)
    : options_(spec.options_as<DockerInputConfig>()),
      client_(docker::make_docker_client(context.executor, context.config.docker, context.metrics)),
      multiline_(std::make_unique<multiline::MultilineSelection>(
          context.config.processors, context.config.container_hints, context.metrics)) {
  const DockerConfig& engine = context.config.docker;
  discovery_ = std::make_unique<ContainerDiscovery>(
      context.executor, *client_, context.pipeline, context.tracker, options_, context.metrics,
      context.health, context.watcher, context.json_file_metrics, tasks_,
      ReconnectBackoff{engine.reconnect_backoff_initial, engine.reconnect_backoff_max});
  discovery_->set_input_name(spec.name);
  if (!multiline_->empty()) discovery_->set_multiline(multiline_.get());
  clock_watch_ = std::make_unique<ClockStepWatch>(context.executor, context.metrics);
}

DockerInput::~DockerInput() = default;

void DockerInput::start() {
  discovery_->start();
  clock_watch_->start(tasks_);
}

void DockerInput::stop() {
  stopped_ = true;
  discovery_->stop();
  clock_watch_->stop();
  // A hung dockerd must not hold the shutdown: request_timeout outlasts the give-up time.
  client_->cancel_all();
}

std::size_t DockerInput::active_streams() const { return discovery_->active_streams(); }

nlohmann::json DockerInput::containers() const { return discovery_->snapshot(); }

}  // namespace lc::docker_input
