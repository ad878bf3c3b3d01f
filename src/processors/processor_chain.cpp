#include "processors/processor_chain.hpp"

#include <stdexcept>

#include "metrics/metrics_registry.hpp"

namespace lc {

ProcessorChain::ProcessorChain(const std::vector<ProcessorSpec>& specs, MetricsRegistry& metrics,
                               const ProcessorTypes& types)
    : metrics_(metrics) {
  steps_.reserve(specs.size());
  for (const ProcessorSpec& spec : specs) {
    const ProcessorFactory* factory = types.find(spec.type);
    if (factory == nullptr) {
      throw std::invalid_argument("processor " + spec.name + ": unknown type " + spec.type);
    }
    const MetricLabels labels{{"processor", spec.name}};
    steps_.push_back(
        Step{factory->build(spec),
             metrics_.counter("log_capturer_processor_records_in_total",
                              "Records that reached this processor.", labels),
             metrics_.counter("log_capturer_processor_records_dropped_total",
                              "Records this processor removed (a filter's drops); their source "
                              "positions still advance.",
                              labels)});
  }
}

ProcessorChain::~ProcessorChain() = default;

void ProcessorChain::process(std::vector<LogRecord>& records) {
  for (Step& step : steps_) {
    if (records.empty()) return;
    const std::size_t before = records.size();
    step.records_in.inc(before);
    step.processor->process(records);
    if (records.size() < before) step.records_dropped.inc(before - records.size());
  }
}

}  // namespace lc
