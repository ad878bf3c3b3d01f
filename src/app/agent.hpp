#pragma once

#include "config/agent_config.hpp"

namespace lc {

// Runs the agent until SIGINT or SIGTERM: the data directory lock, the two loops (inputs and
// HTTP on the main thread, sinks and checkpoint saves on "lc-sinks"), the listeners, signals
// and exit codes, around the Topology (src/topology) that the configuration builds.
// The thread count is fixed (two) whatever the number of containers.
class Agent {
 public:
  explicit Agent(AgentConfig config) : config_(std::move(config)) {}
  // Returns the process exit code: 0 after a clean shutdown, 1 when start-up failed, 2 when
  // a component refused its configuration.
  int run();

 private:
  AgentConfig config_;
};

}  // namespace lc
