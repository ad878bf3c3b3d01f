#pragma once

#include "config/agent_config.hpp"

namespace lc {

// Wires the agent together and runs it until SIGINT or SIGTERM:
//   Docker discovery + container streams (input loop, the main thread)
//     -> Pipeline (bounded, batched)  -> file store (sink loop, one thread)
//     -> CheckpointTracker -> checkpoints.json (saved on the sink loop)
//   HTTP API and /metrics (input loop).
// The thread count is fixed (two) whatever the number of containers.
class Agent {
 public:
  explicit Agent(AgentConfig config) : config_(std::move(config)) {}
  // Returns the process exit code: 0 after a clean shutdown, 1 when start-up failed.
  int run();

 private:
  AgentConfig config_;
};

}  // namespace lc
