#include "topology/topology_diff.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "inputs/docker/docker_input_options.hpp"

namespace lc {

namespace {

template <typename Spec>
std::vector<const Spec*> enabled(const std::vector<Spec>& specs) {
  std::vector<const Spec*> on;
  for (const Spec& spec : specs) {
    if (spec.enabled) on.push_back(&spec);
  }
  return on;
}

template <typename Spec, typename Same>
TopologyDiff::Names diff_by_name(const std::vector<Spec>& running, const std::vector<Spec>& next,
                                 const Same& same) {
  TopologyDiff::Names names;
  const auto find = [](const std::vector<const Spec*>& in, const std::string& name) {
    const auto it =
        std::find_if(in.begin(), in.end(), [&](const Spec* s) { return s->name == name; });
    return it == in.end() ? nullptr : *it;
  };
  const std::vector<const Spec*> before = enabled(running);
  const std::vector<const Spec*> after = enabled(next);
  for (const Spec* spec : after) {
    const Spec* old = find(before, spec->name);
    if (old == nullptr) {
      names.added.push_back(spec->name);
    } else if (!same(*old, *spec)) {
      names.changed.push_back(spec->name);
    }
  }
  for (const Spec* spec : before) {
    if (find(after, spec->name) == nullptr) names.removed.push_back(spec->name);
  }
  return names;
}

void describe_names(std::vector<std::string>& parts, const char* kind,
                    const TopologyDiff::Names& names) {
  for (const std::string& name : names.added)
    parts.push_back(fmt::format("{}.{} (added)", kind, name));
  for (const std::string& name : names.changed) {
    parts.push_back(fmt::format("{}.{} (changed)", kind, name));
  }
  for (const std::string& name : names.removed) {
    parts.push_back(fmt::format("{}.{} (removed)", kind, name));
  }
}

// What the inputs take from the processors: the multiline ones, and whether container hints
// (io.log-capturer.multiline) apply.
std::pair<std::vector<ProcessorSpec>, bool> multiline_of(const AgentConfig& config) {
  std::vector<ProcessorSpec> multiline;
  for (const ProcessorSpec& spec : config.processors) {
    if (spec.type == "multiline") multiline.push_back(spec);
  }
  return {std::move(multiline), config.container_hints};
}

}  // namespace

TopologyDiff diff_topologies(const AgentConfig& running, const AgentConfig& next) {
  TopologyDiff diff;
  // A docker input also depends on the engine connection (docker.*).
  const bool engine_changed = !(running.docker == next.docker);
  diff.inputs =
      diff_by_name(running.inputs, next.inputs, [&](const InputSpec& a, const InputSpec& b) {
        return a == b && !(engine_changed && a.type == "docker");
      });
  // The inputs join multi-line records themselves: a change there rebuilds them.
  if (multiline_of(running) != multiline_of(next)) {
    for (const InputSpec& input : next.inputs) {
      const InputSpec* was = running.find_input(input.name);
      if (was == nullptr || !was->enabled || !input.enabled) continue;
      if (std::find(diff.inputs.changed.begin(), diff.inputs.changed.end(), input.name) ==
          diff.inputs.changed.end()) {
        diff.inputs.changed.push_back(input.name);
      }
    }
  }
  diff.sinks = diff_by_name(running.sinks, next.sinks,
                            [](const SinkSpec& a, const SinkSpec& b) { return a == b; });
  std::erase_if(diff.sinks.changed, [&](const std::string& name) {
    const SinkSpec& was = *running.find_sink(name);
    const SinkSpec& now = *next.find_sink(name);
    const bool retuned = was.type == now.type && same_options(was.options, now.options);
    if (retuned) diff.sinks_retuned.push_back(name);
    return retuned;
  });
  diff.stages_changed =
      !(running.processors == next.processors) || !(running.routes == next.routes);
  const PipelineConfig& was = running.pipeline;
  const PipelineConfig& now = next.pipeline;
  // pipeline.batch_* and retry_* are the sinks' defaults: they show in the sinks' own diff.
  diff.bounds_changed = was.memory_limit_bytes != now.memory_limit_bytes ||
                        was.read_ahead_bytes != now.read_ahead_bytes ||
                        was.flush_on_idle != now.flush_on_idle ||
                        running.checkpoint_interval != next.checkpoint_interval;
  if (json_file_poll_interval(running) != json_file_poll_interval(next)) {
    diff.whole_rebuild_reasons.push_back(
        "the docker input's file_poll_interval (every json-file reader's)");
  }
  return diff;
}

std::string TopologyDiff::describe() const {
  std::vector<std::string> parts;
  describe_names(parts, "inputs", inputs);
  if (stages_changed) parts.push_back("processors and routes");
  if (bounds_changed) parts.push_back("pipeline bounds or checkpoint_interval");
  describe_names(parts, "sinks", sinks);
  for (const std::string& name : sinks_retuned) {
    parts.push_back(fmt::format("sinks.{} (delivery keys changed)", name));
  }
  for (const std::string& reason : whole_rebuild_reasons) parts.push_back(reason);
  return parts.empty() ? "nothing" : fmt::format("{}", fmt::join(parts, ", "));
}

}  // namespace lc
