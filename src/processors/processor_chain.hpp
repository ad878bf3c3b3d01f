#pragma once

#include <memory>
#include <optional>
#include <vector>

#include "metrics/metrics_scope.hpp"
#include "processors/all_processors.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"
#include "processors/record_selector.hpp"

namespace lc {

// The processors stage: the configured processors, run in order on each group of records an
// input submits, each on the records its `when:` selects, with per-processor metrics
// (log_capturer_processor_records_{in,out,dropped}_total and log_capturer_processor_errors_total,
// labelled by processor name; ProcessorMetrics).
class ProcessorChain {
 public:
  // Each processor built by its type's factory. Throws std::invalid_argument when one cannot
  // work (the config loader has normally reported it already).
  ProcessorChain(const std::vector<ProcessorSpec>& specs, MetricsRegistry& metrics,
                 const ProcessorTypes& types = built_in_processor_types());
  ~ProcessorChain();
  ProcessorChain(const ProcessorChain&) = delete;
  ProcessorChain& operator=(const ProcessorChain&) = delete;

  bool empty() const { return steps_.empty(); }
  // Any thread; stops early once no record is left.
  void process(std::vector<LogRecord>& records);

 private:
  struct Step {
    std::optional<RecordSelector> when;         // none: every record
    std::unique_ptr<ProcessorMetrics> metrics;  // the processor keeps a reference
    std::unique_ptr<Processor> processor;
  };
  // The step on the records its `when` selects, the others passing by in order.
  static void process_selected(Step& step, std::vector<LogRecord>& records);
  MetricsScope metrics_;  // the processors' series, gone with the chain
  std::vector<Step> steps_;
};

}  // namespace lc
