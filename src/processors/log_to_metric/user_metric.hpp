#pragma once

#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/field_path.hpp"
#include "core/record_template.hpp"
#include "metrics/metrics_scope.hpp"
#include "processors/log_to_metric/log_to_metric_options.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// One metric of a log_to_metric processor: its series by label values, made on first use in
// `scope` (at most `max_series`; the rest refused and counted). Thread-safe.
class UserMetric {
 public:
  // `metrics`: the processor's; the series go into its scope.
  UserMetric(const UserMetricOptions& options, std::uint32_t max_series, ProcessorMetrics& metrics,
             const std::string& host);

  // Counts (or observes) one record; false when a histogram's field is absent or no number.
  bool record(const LogRecord& record);

 private:
  struct SeriesRef {
    Counter* counter = nullptr;
    Histogram* histogram = nullptr;
  };
  // The series of these label values, or null when refused.
  const SeriesRef* series_for(const std::string& key, const LogRecord& record);

  UserMetricOptions options_;
  std::string exported_name_;
  std::vector<std::pair<std::string, RecordTemplate>> labels_;
  FieldPath field_;
  std::uint32_t max_series_;
  MetricsScope& scope_;
  std::string host_;
  Counter& refused_;
  std::mutex mutex_;
  std::unordered_map<std::string, SeriesRef> series_;  // by the label values, joined
};

}  // namespace lc
