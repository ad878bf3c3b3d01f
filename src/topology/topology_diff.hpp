#pragma once

#include <string>
#include <vector>

#include "config/agent_config.hpp"

namespace lc {

// What a reload changes in the running topology, component by component: a diff by name and
// options (as Vector does), the contents of referenced files included (their fingerprints are
// in the options). Components are compared only when enabled; a disabled one counts as absent.
struct TopologyDiff {
  struct Names {
    std::vector<std::string> added;
    std::vector<std::string> removed;
    std::vector<std::string> changed;
    bool empty() const { return added.empty() && removed.empty() && changed.empty(); }
  };
  Names inputs;
  Names sinks;  // changed: options of their own (a new instance is built)
  // Sinks whose own options are the same and only their delivery keys (batch, retry,
  // dead_letters, when_full, max_queued_bytes, disk_buffer) changed: the running instance stays.
  std::vector<std::string> sinks_retuned;
  bool stages_changed = false;  // the processors or the routes: swapped together
  // pipeline.memory_limit_bytes, read_ahead_bytes or flush_on_idle, checkpoint_interval.
  bool bounds_changed = false;
  // Changes only a whole rebuild applies (what every json-file reader shares), said for the
  // log.
  std::vector<std::string> whole_rebuild_reasons;

  // Nothing in the topology changes (a comment, or only what the reloader applies itself).
  bool empty() const {
    return inputs.empty() && sinks.empty() && sinks_retuned.empty() && !stages_changed &&
           !bounds_changed && whole_rebuild_reasons.empty();
  }
  // "inputs.app (changed), processors and routes", for the log and the status.
  std::string describe() const;
};

TopologyDiff diff_topologies(const AgentConfig& running, const AgentConfig& next);

}  // namespace lc
