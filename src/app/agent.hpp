#pragma once

#include "app/config_reloader.hpp"

namespace lc {

// Runs the agent until SIGINT or SIGTERM: the data directory lock, the listeners (on the main
// thread), signals, reloads (SIGHUP, POST /api/v1/reload) and exit codes, around the running
// Topology (src/topology, on its threads "lc-inputs" and "lc-sinks") that the configuration
// builds and a reload replaces. The thread count is fixed (four: those, and a worker for reloads
// and dead-letter requests) whatever the number of containers.
class Agent {
 public:
  // `source` reads the configuration again at each reload; `config_file` (empty without one) is
  // where it comes from, for config.watch.
  Agent(LoadedConfig initial, ConfigSource source, std::string config_file = {})
      : initial_(std::move(initial)),
        source_(std::move(source)),
        config_file_(std::move(config_file)) {}
  // Returns the process exit code: 0 after a clean shutdown, 1 when start-up failed, 2 when
  // a component refused its configuration.
  int run();

 private:
  LoadedConfig initial_;
  ConfigSource source_;
  std::string config_file_;
};

}  // namespace lc
