#pragma once

#include "metrics/metrics_registry.hpp"

namespace lc::json_file {

// Counters of the json-file fast path, registered once and shared by every reader. Lines and
// bytes delivered are counted where records are submitted (log_capturer_lines_total, ...).
struct JsonFileInputMetrics {
  explicit JsonFileInputMetrics(MetricsRegistry& registry);

  Counter& invalid_lines;     // passed on raw, flagged invalid
  Counter& truncated_lines;   // cut at max_line_bytes
  Counter& rotations;         // moved on to the next file of a rotated log
  Counter& file_truncations;  // a file shrank under the reader: restarted at 0
  Counter& resume_lost;       // the checkpointed file was gone: restarted at the oldest file
  Counter& logs_missed;       // a container gone before its log was ever opened
  Counter& rotated_away;      // rotated files deleted before they were read (a gap)
  Counter& read_errors;       // open/read/stat failures
  Counter& bytes_read;        // raw json-file bytes consumed
  Gauge& open_files;          // fds held by readers (at most one each)
  Gauge& inotify_watches;     // directories watched with inotify
  Gauge& polled_watches;      // directories polled (inotify unavailable or out of watches)
  Counter& watch_fallbacks;   // watches that fell back to polling
};

}  // namespace lc::json_file
