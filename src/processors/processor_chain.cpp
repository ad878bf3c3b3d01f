#include "processors/processor_chain.hpp"

#include <algorithm>
#include <iterator>
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
    if (factory->runs_in_inputs()) continue;
    const MetricLabels labels{{"processor", spec.name}};
    auto counters = std::make_unique<ProcessorMetrics>(ProcessorMetrics{
        metrics_.counter("log_capturer_processor_records_in_total", kProcessorRecordsInHelp,
                         labels),
        metrics_.counter("log_capturer_processor_records_out_total", kProcessorRecordsOutHelp,
                         labels),
        metrics_.counter("log_capturer_processor_records_dropped_total",
                         "Records this processor removed (a filter's drops, on_error: drop); "
                         "their source positions still advance.",
                         labels),
        metrics_.counter("log_capturer_processor_errors_total",
                         "Records this processor could not process (not JSON for parse_json, "
                         "say): passed on unchanged, flagged or dropped per its on_error.",
                         labels),
        metrics_, spec.name});
    std::optional<RecordSelector> when;
    if (spec.when) when.emplace(*spec.when);
    std::unique_ptr<Processor> processor = factory->build(spec, *counters);
    steps_.push_back(Step{std::move(when), std::move(counters), std::move(processor)});
  }
}

ProcessorChain::~ProcessorChain() = default;

void ProcessorChain::process(std::vector<LogRecord>& records) {
  for (Step& step : steps_) {
    if (records.empty()) return;
    if (step.when) {
      process_selected(step, records);
      continue;
    }
    step.metrics->records_in.inc(records.size());
    step.processor->process(records);
    step.metrics->records_out.inc(records.size());
  }
}

void ProcessorChain::process_selected(Step& step, std::vector<LogRecord>& records) {
  const RecordSelector& when = *step.when;
  std::vector<char> selected(records.size());  // each record's answer, asked once
  std::size_t count = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    selected[i] = when.matches(records[i]) ? 1 : 0;
    count += static_cast<std::size_t>(selected[i]);
  }
  if (count == 0) return;
  if (count == records.size()) {  // usually all or none of one source's records: no copy
    step.metrics->records_in.inc(records.size());
    step.processor->process(records);
    step.metrics->records_out.inc(records.size());
    return;
  }
  // Runs of selected records go through the processor, in order with the others.
  std::vector<LogRecord> out;
  out.reserve(records.size());
  std::vector<LogRecord> run;
  const auto flush_run = [&] {
    if (run.empty()) return;
    step.metrics->records_in.inc(run.size());
    step.processor->process(run);
    step.metrics->records_out.inc(run.size());
    std::move(run.begin(), run.end(), std::back_inserter(out));
    run.clear();
  };
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (selected[i] != 0) {
      run.push_back(std::move(records[i]));
    } else {
      flush_run();
      out.push_back(std::move(records[i]));
    }
  }
  flush_run();
  records = std::move(out);
}

}  // namespace lc
