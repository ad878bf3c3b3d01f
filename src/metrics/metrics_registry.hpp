#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace lc {

using MetricLabels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(std::uint64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  std::uint64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

class Gauge {
 public:
  void set(std::int64_t v) { value_.store(v, std::memory_order_relaxed); }
  void add(std::int64_t n) { value_.fetch_add(n, std::memory_order_relaxed); }
  void sub(std::int64_t n) { value_.fetch_sub(n, std::memory_order_relaxed); }
  std::int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<std::int64_t> value_{0};
};

// Counts observations into buckets (upper bounds, ascending), with their sum and count:
// rendered as a Prometheus histogram. Lock-free.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double value);
  // Observations counted elsewhere: `counts` per bucket then +Inf (not cumulative), `sum`
  // their total. One atomic add per bucket instead of one per observation.
  void add(std::span<const std::uint64_t> counts, double sum);
  const std::vector<double>& bounds() const { return bounds_; }
  // Observations at or below each bound, cumulative, then all of them (+Inf).
  std::vector<std::uint64_t> cumulative_counts() const;
  double sum() const { return sum_.load(std::memory_order_relaxed); }

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> counts_;  // per bucket, then +Inf
  std::atomic<double> sum_{0};
};

// A small Prometheus registry, written by hand: Debian ships no prometheus-cpp, and all we
// need is lock-free counters and gauges plus a text renderer. Series are created once (at
// component start-up) and returned by reference, so hot paths touch only an atomic.
// Label values must be low-cardinality: never a container id.
class MetricsRegistry {
 public:
  Counter& counter(const std::string& name, const std::string& help,
                   const MetricLabels& labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, const MetricLabels& labels = {});
  Histogram& histogram(const std::string& name, const std::string& help,
                       const std::vector<double>& bounds, const MetricLabels& labels = {});
  // A gauge read at scrape time (open FDs, RSS...).
  void gauge_callback(const std::string& name, const std::string& help,
                      std::function<double()> read, const MetricLabels& labels = {});

  // A counter read at scrape time, for values kept elsewhere (e.g. seconds as a double).
  void counter_callback(const std::string& name, const std::string& help,
                        std::function<double()> read, const MetricLabels& labels = {});

  // The Prometheus text exposition format, version 0.0.4.
  std::string render() const;

 private:
  friend class MetricsScope;
  // Series registered above stay for the registry's life; those of a MetricsScope go with
  // the last scope holding them.
  enum class Holding { kPermanent, kScoped };
  enum class Type { kCounter, kGauge, kHistogram };
  struct Series {
    MetricLabels labels;
    std::unique_ptr<Counter> counter;
    std::unique_ptr<Gauge> gauge;
    std::unique_ptr<Histogram> histogram;
    // Who registered a callback (a MetricsScope, or null for the registry's own) and the
    // callback; the last one registered is read. Two scopes may hold one series at once (a
    // component and its replacement): each takes its own callback away when it goes.
    std::vector<std::pair<const void*, std::function<double()>>> callbacks;
    bool permanent = false;
    std::size_t scopes = 0;  // MetricsScopes holding it
  };
  struct Family {
    Type type;
    std::string help;
    std::vector<Series> series;
  };

  Series& find_or_add(const std::string& name, const std::string& help, Type type,
                      const MetricLabels& labels, Holding holding);
  Counter& held_counter(const std::string& name, const std::string& help,
                        const MetricLabels& labels, Holding holding);
  Gauge& held_gauge(const std::string& name, const std::string& help, const MetricLabels& labels,
                    Holding holding);
  Histogram& held_histogram(const std::string& name, const std::string& help,
                            const std::vector<double>& bounds, const MetricLabels& labels,
                            Holding holding);
  void held_callback(const std::string& name, const std::string& help, Type type,
                     std::function<double()> read, const MetricLabels& labels, Holding holding,
                     const void* owner = nullptr);
  // The scope `owner` lets go of a series: its callback goes at once, the series when nothing
  // holds it any more.
  void release(const std::string& name, const MetricLabels& labels, const void* owner);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
};

}  // namespace lc
