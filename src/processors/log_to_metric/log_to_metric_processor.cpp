#include "processors/log_to_metric/log_to_metric_processor.hpp"

#include "core/machine_hostname.hpp"

namespace lc {

LogToMetricProcessor::LogToMetricProcessor(std::string name, const LogToMetricOptions& options,
                                           ProcessorMetrics& metrics)
    : name_(std::move(name)), counters_(metrics) {
  const std::string host = machine_hostname();
  for (const UserMetricOptions& metric : options.metrics) {
    metrics_.push_back(std::make_unique<UserMetric>(metric, options.max_series, metrics, host));
  }
}

void LogToMetricProcessor::process(std::vector<LogRecord>& records) {
  for (const LogRecord& record : records) {
    bool ok = true;
    for (const auto& metric : metrics_) ok = metric->record(record) && ok;
    if (!ok) counters_.errors.inc();
  }
}

}  // namespace lc
