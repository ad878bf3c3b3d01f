#include "metrics/metrics_scope.hpp"

namespace lc {

Counter& MetricsScope::counter(const std::string& name, const std::string& help,
                               const MetricLabels& labels) {
  Counter& counter = registry_.held_counter(name, help, labels, MetricsRegistry::Holding::kScoped);
  held_.emplace_back(name, labels);
  return counter;
}

Gauge& MetricsScope::gauge(const std::string& name, const std::string& help,
                           const MetricLabels& labels) {
  Gauge& gauge = registry_.held_gauge(name, help, labels, MetricsRegistry::Holding::kScoped);
  held_.emplace_back(name, labels);
  return gauge;
}

Histogram& MetricsScope::histogram(const std::string& name, const std::string& help,
                                   const std::vector<double>& bounds, const MetricLabels& labels) {
  Histogram& histogram =
      registry_.held_histogram(name, help, bounds, labels, MetricsRegistry::Holding::kScoped);
  held_.emplace_back(name, labels);
  return histogram;
}

void MetricsScope::gauge_callback(const std::string& name, const std::string& help,
                                  std::function<double()> read, const MetricLabels& labels) {
  registry_.held_callback(name, help, MetricsRegistry::Type::kGauge, std::move(read), labels,
                          MetricsRegistry::Holding::kScoped, this);
  held_.emplace_back(name, labels);
}

void MetricsScope::counter_callback(const std::string& name, const std::string& help,
                                    std::function<double()> read, const MetricLabels& labels) {
  registry_.held_callback(name, help, MetricsRegistry::Type::kCounter, std::move(read), labels,
                          MetricsRegistry::Holding::kScoped, this);
  held_.emplace_back(name, labels);
}

void MetricsScope::release() {
  for (const auto& [name, labels] : held_) registry_.release(name, labels, this);
  held_.clear();
}

}  // namespace lc
