#pragma once

#include <string>

#include "metrics/metrics_registry.hpp"

namespace lc {

// The series of one sink's disk buffer (docs/metrics.md), labelled sink="<name>".
struct DiskBufferMetrics {
  DiskBufferMetrics(MetricsRegistry& registry, const std::string& sink);

  Gauge& bytes;                  // segment files on disk
  Gauge& records_pending;        // appended, not yet committed
  Counter& records_appended;     // records appended
  Counter& appends_refused;      // appends refused at max_total_bytes
  Counter& records_replayed;     // records read that a previous run had buffered
  Counter& corrupt_truncations;  // torn tails cut
  Counter& corrupt_skips;        // corrupt regions / undecodable frames / unreadable files
  Counter& write_errors;         // failed writes, fsyncs, segment creations, state saves
  Counter& fsync_failures;       // failed fsyncs of segments (each one abandons its segment)
};

}  // namespace lc
