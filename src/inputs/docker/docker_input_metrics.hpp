#pragma once

#include "metrics/metrics_registry.hpp"

namespace lc::docker_input {

// The Docker input's counters, registered once and shared by every container stream.
struct DockerInputMetrics {
  explicit DockerInputMetrics(MetricsRegistry& registry);

  Counter& lines_stdout;
  Counter& lines_stderr;
  Counter& bytes;
  Counter& streams_opened;
  Counter& streams_closed;
  Gauge& streams_active;
  Counter& malformed_streams;
  Counter& stream_errors;
  Counter& truncated_lines;
  Counter& skipped_records;
  Counter& replayed_lines;
  Counter& catch_up_reads;
  Counter& follows_stalled;
  Counter& history_gaps;
  Gauge& containers_followed;
  Gauge& containers_from_files;
  Counter& containers_unreadable;
  Counter& events;
  Counter& events_reconnects;
  Counter& resyncs;
};

}  // namespace lc::docker_input
