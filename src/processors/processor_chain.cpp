#include "processors/processor_chain.hpp"

#include "metrics/metrics_registry.hpp"
#include "processors/filter/filter_processor.hpp"

namespace lc {

std::unique_ptr<Processor> make_processor(const ProcessorConfig& config) {
  switch (config.type) {
    case ProcessorConfig::Type::kFilter:
      return std::make_unique<FilterProcessor>(config);
  }
  throw std::invalid_argument("processor " + config.name + ": unknown type");
}

ProcessorChain::ProcessorChain(const std::vector<ProcessorConfig>& configs,
                               MetricsRegistry& metrics) {
  steps_.reserve(configs.size());
  for (const ProcessorConfig& config : configs) {
    const MetricLabels labels{{"processor", config.name}};
    steps_.push_back(
        Step{make_processor(config),
             metrics.counter("log_capturer_processor_records_in_total",
                             "Records that reached this processor.", labels),
             metrics.counter("log_capturer_processor_records_dropped_total",
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
