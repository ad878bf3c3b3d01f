#pragma once

#include <exception>
#include <string>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "metrics/metrics_scope.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// A config of one processor, `processor_yaml` being its list item ("{type: ..., ...}").
inline AgentConfig one_processor_config(const std::string& processor_yaml) {
  return parse_config_text("processors:\n  - " + processor_yaml + "\n", "cfg.yaml");
}

// What loading one processor's item reports ("" when it loads).
inline std::string processor_config_problem(const std::string& processor_yaml) {
  try {
    one_processor_config(processor_yaml);
    return "";
  } catch (const std::exception& error) {
    return error.what();
  }
}

// The counters a processor built by hand (not through a chain) counts in, named `processor`.
struct ProcessorTestMetrics {
  explicit ProcessorTestMetrics(const std::string& processor)
      : metrics{registry.counter("in", "in", {{"processor", processor}}),
                registry.counter("out", "out", {{"processor", processor}}),
                registry.counter("dropped", "dropped", {{"processor", processor}}),
                registry.counter("errors", "errors", {{"processor", processor}}),
                scope,
                processor} {}

  MetricsRegistry registry;
  MetricsScope scope{registry};
  ProcessorMetrics metrics;
};

}  // namespace lc
