#pragma once

#include <string>

#include "metrics/metrics_scope.hpp"

namespace lc {

inline constexpr const char* kProcessorRecordsInHelp =
    "Records that reached this processor (its when: selected them; lines, for multiline).";
inline constexpr const char* kProcessorRecordsOutHelp =
    "Records this processor passed on (a join counts once).";

// A processor's series, labelled with its name (log_capturer_processor_records_*_total): the
// chain counts what goes in and out; the processor counts what it drops and the records it
// could not process (a line that is not JSON for parse_json), which pass on per its on_error.
struct ProcessorMetrics {
  Counter& records_in;
  Counter& records_out;
  Counter& dropped;
  Counter& errors;
  // For a type's own series (redact's matches per preset), labelled processor=<name> too.
  MetricsScope& registry;  // the chain's: the series go with it
  std::string processor;

  Counter& counter(const std::string& name, const std::string& help, MetricLabels more = {}) {
    more.insert(more.begin(), {"processor", processor});
    return registry.counter(name, help, more);
  }
  // Throttle's, sample's and dedup's keys forgotten at their bound.
  Counter& keys_evicted() {
    return counter("log_capturer_processor_keys_evicted_total",
                   "Keys a throttle, sample or dedup forgot at max_keys (or max_entries) to make "
                   "room for a new one; a forgotten key starts afresh.");
  }
};

}  // namespace lc
