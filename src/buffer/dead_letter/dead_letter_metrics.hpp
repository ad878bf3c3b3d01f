#pragma once

#include <map>
#include <string>
#include <utility>

#include "metrics/metrics_registry.hpp"

namespace lc {

// The dead-letter store's series (docs/metrics.md). Per-sink series are created the first
// time a sink (or sink and reason kind) is met. Not thread-safe: the store calls it under its
// lock.
class DeadLetterMetrics {
 public:
  explicit DeadLetterMetrics(MetricsRegistry& registry);

  Counter& added(const std::string& sink, const std::string& reason_kind);
  Counter& dropped(const std::string& sink);
  Counter& reprocessed(const std::string& sink);

  Gauge& entries;
  Gauge& bytes;
  Counter& corrupt_truncations;
  Counter& corrupt_skips;
  Counter& write_errors;
  Counter& sync_failures;

 private:
  Counter& per_sink(std::map<std::string, Counter*>& cache, const char* name, const char* help,
                    const std::string& sink);

  MetricsRegistry& registry_;
  std::map<std::pair<std::string, std::string>, Counter*> added_;
  std::map<std::string, Counter*> dropped_;
  std::map<std::string, Counter*> reprocessed_;
};

}  // namespace lc
