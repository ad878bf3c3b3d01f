#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// One metric a log_to_metric processor keeps (YAML: an item of `metrics`).
struct UserMetricOptions {
  std::string name;  // exported as log_capturer_user_<name> (a counter gets _total)
  enum class Type { kCounter, kHistogram };
  Type type = Type::kCounter;
  std::string help;
  std::vector<std::pair<std::string, std::string>> labels;  // label -> template
  std::string field;                                        // histogram: the numeric field observed
  std::vector<double> buckets;                              // histogram: upper bounds, ascending

  bool operator==(const UserMetricOptions&) const = default;
};

// processors: - type: log_to_metric (docs/configuration.md): counters and histograms from
// records, on /metrics.
struct LogToMetricOptions : OptionsOf<LogToMetricOptions> {
  std::vector<UserMetricOptions> metrics;
  std::uint32_t max_series = 1000;  // per metric; more label sets are refused and counted

  bool operator==(const LogToMetricOptions&) const = default;
};

void read_log_to_metric_options(YamlSection& item, LogToMetricOptions& options);

}  // namespace lc
