#include "metrics/metrics_registry.hpp"

#include <cmath>
#include <fmt/format.h>
#include <stdexcept>

namespace lc {
namespace {

void append_escaped(std::string& out, const std::string& value) {
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_labels(std::string& out, const MetricLabels& labels) {
  if (labels.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (i > 0) out += ',';
    out += labels[i].first;
    out += "=\"";
    append_escaped(out, labels[i].second);
    out += '"';
  }
  out += '}';
}

std::string format_double(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

}  // namespace

MetricsRegistry::Series& MetricsRegistry::find_or_add(const std::string& name,
                                                      const std::string& help, Type type,
                                                      const MetricLabels& labels) {
  auto [it, inserted] = families_.try_emplace(name, Family{type, help, {}});
  if (!inserted && it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  for (Series& series : it->second.series) {
    if (series.labels == labels) return series;
  }
  it->second.series.push_back(Series{labels, nullptr, nullptr, nullptr});
  return it->second.series.back();
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Series& series = find_or_add(name, help, Type::kCounter, labels);
  if (!series.counter) series.counter = std::make_unique<Counter>();
  return *series.counter;
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  Series& series = find_or_add(name, help, Type::kGauge, labels);
  if (!series.gauge) series.gauge = std::make_unique<Gauge>();
  return *series.gauge;
}

void MetricsRegistry::gauge_callback(const std::string& name, const std::string& help,
                                     std::function<double()> read, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  find_or_add(name, help, Type::kGauge, labels).callback = std::move(read);
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(families_.size() * 160);
  for (const auto& [name, family] : families_) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, family.help, name,
                   family.type == Type::kCounter ? "counter" : "gauge");
    for (const Series& series : family.series) {
      out += name;
      append_labels(out, series.labels);
      out += ' ';
      if (series.counter) {
        out += std::to_string(series.counter->value());
      } else if (series.gauge) {
        out += std::to_string(series.gauge->value());
      } else if (series.callback) {
        out += format_double(series.callback());
      } else {
        out += '0';
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace lc
