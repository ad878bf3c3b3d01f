#include "metrics/metrics_registry.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
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

// HELP text escapes only backslash and newline (text format 0.0.4).
void append_escaped_help(std::string& out, const std::string& help) {
  for (const char c : help) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

bool is_valid_name(const std::string& name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

// A bad name would corrupt the whole exposition, so it is refused at registration.
void validate(const std::string& name, const MetricLabels& labels) {
  if (!is_valid_name(name, true))
    throw std::invalid_argument("invalid metric name \"" + name + "\"");
  for (std::size_t i = 0; i < labels.size(); ++i) {
    const std::string& label = labels[i].first;
    if (!is_valid_name(label, false) || label.starts_with("__")) {
      throw std::invalid_argument("metric " + name + ": invalid label name \"" + label + "\"");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (labels[j].first == label) {
        throw std::invalid_argument("metric " + name + ": label " + label + " given twice");
      }
    }
  }
}

// One failing reader must not take the whole scrape down with it.
double read_callback(const std::function<double()>& read) {
  try {
    return read();
  } catch (...) {
    return std::numeric_limits<double>::quiet_NaN();
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

// name_bucket{labels,le="bound"} for each bound and +Inf, name_sum, name_count.
void append_histogram(std::string& out, const std::string& name, const MetricLabels& labels,
                      const Histogram& histogram) {
  const std::vector<std::uint64_t> counts = histogram.cumulative_counts();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    MetricLabels with_bound = labels;
    with_bound.emplace_back("le", i < histogram.bounds().size()
                                      ? format_double(histogram.bounds()[i])
                                      : std::string("+Inf"));
    out += name + "_bucket";
    append_labels(out, with_bound);
    out += ' ' + std::to_string(counts[i]) + '\n';
  }
  out += name + "_sum";
  append_labels(out, labels);
  out += ' ' + format_double(histogram.sum()) + '\n';
  out += name + "_count";
  append_labels(out, labels);
  out += ' ' + std::to_string(counts.back()) + '\n';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      counts_(std::make_unique<std::atomic<std::uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double value) {
  const auto bucket = std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin();
  counts_[static_cast<std::size_t>(bucket)].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

void Histogram::add(std::span<const std::uint64_t> counts, double sum) {
  for (std::size_t i = 0; i < counts.size() && i <= bounds_.size(); ++i) {
    if (counts[i] != 0) counts_[i].fetch_add(counts[i], std::memory_order_relaxed);
  }
  sum_.fetch_add(sum, std::memory_order_relaxed);
}

std::vector<std::uint64_t> Histogram::cumulative_counts() const {
  std::vector<std::uint64_t> out(bounds_.size() + 1);
  std::uint64_t running = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    running += counts_[i].load(std::memory_order_relaxed);
    out[i] = running;
  }
  return out;
}

MetricsRegistry::Series& MetricsRegistry::find_or_add(const std::string& name,
                                                      const std::string& help, Type type,
                                                      const MetricLabels& labels, Holding holding) {
  validate(name, labels);
  auto [it, inserted] = families_.try_emplace(name, Family{type, help, {}});
  if (!inserted && it->second.type != type) {
    throw std::logic_error("metric " + name + " registered with two types");
  }
  Series* found = nullptr;
  for (Series& series : it->second.series) {
    if (series.labels == labels) found = &series;
  }
  if (found == nullptr) {
    found = &it->second.series.emplace_back();
    found->labels = labels;
  }
  if (holding == Holding::kPermanent) {
    found->permanent = true;
  } else {
    ++found->scopes;
  }
  return *found;
}

Counter& MetricsRegistry::held_counter(const std::string& name, const std::string& help,
                                       const MetricLabels& labels, Holding holding) {
  std::lock_guard lock(mutex_);
  Series& series = find_or_add(name, help, Type::kCounter, labels, holding);
  if (!series.counter) series.counter = std::make_unique<Counter>();
  return *series.counter;
}

Gauge& MetricsRegistry::held_gauge(const std::string& name, const std::string& help,
                                   const MetricLabels& labels, Holding holding) {
  std::lock_guard lock(mutex_);
  Series& series = find_or_add(name, help, Type::kGauge, labels, holding);
  if (!series.gauge) series.gauge = std::make_unique<Gauge>();
  return *series.gauge;
}

Histogram& MetricsRegistry::held_histogram(const std::string& name, const std::string& help,
                                           const std::vector<double>& bounds,
                                           const MetricLabels& labels, Holding holding) {
  std::lock_guard lock(mutex_);
  Series& series = find_or_add(name, help, Type::kHistogram, labels, holding);
  if (!series.histogram) series.histogram = std::make_unique<Histogram>(bounds);
  return *series.histogram;
}

void MetricsRegistry::held_callback(const std::string& name, const std::string& help, Type type,
                                    std::function<double()> read, const MetricLabels& labels,
                                    Holding holding, const void* owner) {
  std::lock_guard lock(mutex_);
  auto& callbacks = find_or_add(name, help, type, labels, holding).callbacks;
  std::erase_if(callbacks, [&](const auto& callback) { return callback.first == owner; });
  callbacks.emplace_back(owner, std::move(read));
}

void MetricsRegistry::release(const std::string& name, const MetricLabels& labels,
                              const void* owner) {
  std::lock_guard lock(mutex_);  // a scrape running a callback finishes first
  const auto family = families_.find(name);
  if (family == families_.end()) return;
  auto& series = family->second.series;
  const auto it = std::find_if(series.begin(), series.end(),
                               [&](const Series& s) { return s.labels == labels; });
  if (it == series.end() || it->scopes == 0) return;
  std::erase_if(it->callbacks, [&](const auto& callback) { return callback.first == owner; });
  if (--it->scopes > 0 || it->permanent) return;
  series.erase(it);
  if (series.empty()) families_.erase(family);
}

Counter& MetricsRegistry::counter(const std::string& name, const std::string& help,
                                  const MetricLabels& labels) {
  return held_counter(name, help, labels, Holding::kPermanent);
}

Histogram& MetricsRegistry::histogram(const std::string& name, const std::string& help,
                                      const std::vector<double>& bounds,
                                      const MetricLabels& labels) {
  return held_histogram(name, help, bounds, labels, Holding::kPermanent);
}

Gauge& MetricsRegistry::gauge(const std::string& name, const std::string& help,
                              const MetricLabels& labels) {
  return held_gauge(name, help, labels, Holding::kPermanent);
}

void MetricsRegistry::gauge_callback(const std::string& name, const std::string& help,
                                     std::function<double()> read, const MetricLabels& labels) {
  held_callback(name, help, Type::kGauge, std::move(read), labels, Holding::kPermanent);
}

void MetricsRegistry::counter_callback(const std::string& name, const std::string& help,
                                       std::function<double()> read, const MetricLabels& labels) {
  held_callback(name, help, Type::kCounter, std::move(read), labels, Holding::kPermanent);
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  out.reserve(families_.size() * 160);
  for (const auto& [name, family] : families_) {
    fmt::format_to(std::back_inserter(out), "# HELP {} ", name);
    append_escaped_help(out, family.help);
    fmt::format_to(std::back_inserter(out), "\n# TYPE {} {}\n", name,
                   family.type == Type::kCounter ? "counter"
                   : family.type == Type::kGauge ? "gauge"
                                                 : "histogram");
    for (const Series& series : family.series) {
      if (series.histogram) {
        append_histogram(out, name, series.labels, *series.histogram);
        continue;
      }
      out += name;
      append_labels(out, series.labels);
      out += ' ';
      if (series.counter) {
        out += std::to_string(series.counter->value());
      } else if (series.gauge) {
        out += std::to_string(series.gauge->value());
      } else if (!series.callbacks.empty()) {
        out += format_double(read_callback(series.callbacks.back().second));
      } else {
        out += '0';
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace lc
