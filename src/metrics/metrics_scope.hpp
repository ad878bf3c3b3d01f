#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "metrics/metrics_registry.hpp"

namespace lc {

// The series one component registers, taken out of the registry with it: a removed or rebuilt
// component leaves no stale series behind, and no scrape runs a callback into a destroyed
// object (release() waits for a scrape in progress). A component that registers callbacks
// reading its own members calls release() first thing in its destructor, before those
// members go. Series another scope or the registry itself also holds stay until the last.
class MetricsScope {
 public:
  explicit MetricsScope(MetricsRegistry& registry) : registry_(registry) {}
  ~MetricsScope() { release(); }
  MetricsScope(const MetricsScope&) = delete;
  MetricsScope& operator=(const MetricsScope&) = delete;

  Counter& counter(const std::string& name, const std::string& help,
                   const MetricLabels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const MetricLabels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help,
                       const std::vector<double>& bounds, const MetricLabels& labels = {});
  void gauge_callback(const std::string& name, const std::string& help,
                      std::function<double()> read, const MetricLabels& labels = {});
  void counter_callback(const std::string& name, const std::string& help,
                        std::function<double()> read, const MetricLabels& labels = {});

  // Lets go of every series registered so far (idempotent).
  void release();

 private:
  MetricsRegistry& registry_;
  std::vector<std::pair<std::string, MetricLabels>> held_;
};

}  // namespace lc
