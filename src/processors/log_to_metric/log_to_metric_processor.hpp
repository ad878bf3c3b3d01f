#pragma once

#include <memory>
#include <string>
#include <vector>

#include "processors/log_to_metric/log_to_metric_options.hpp"
#include "processors/log_to_metric/user_metric.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: log_to_metric. Counts records (and observes a field) into user metrics
// on /metrics; records pass unchanged. Their series go with the processor (a reload starts
// them afresh, which Prometheus' rate() takes as a counter reset).
class LogToMetricProcessor final : public Processor {
 public:
  LogToMetricProcessor(std::string name, const LogToMetricOptions& options,
                       ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::string name_;
  std::vector<std::unique_ptr<UserMetric>> metrics_;
  ProcessorMetrics& counters_;
};

}  // namespace lc
