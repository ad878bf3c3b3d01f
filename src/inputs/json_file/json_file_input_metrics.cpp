#include "inputs/json_file/json_file_input_metrics.hpp"

namespace lc::json_file {

JsonFileInputMetrics::JsonFileInputMetrics(MetricsRegistry& r)
    : invalid_lines(r.counter("log_capturer_json_file_invalid_lines_total",
                              "json-file lines that were not valid entries, passed on raw.")),
      truncated_lines(r.counter("log_capturer_lines_truncated_total",
                                "Lines cut at max_line_bytes (flagged truncated).")),
      rotations(r.counter("log_capturer_json_file_rotations_total",
                          "Rotated json-file logs followed on to their next file.")),
      file_truncations(
          r.counter("log_capturer_json_file_truncations_total",
                    "json-file logs that shrank under the reader (read again from 0).")),
      resume_lost(
          r.counter("log_capturer_json_file_resume_lost_total",
                    "Checkpointed json-file logs gone at resume (read from the oldest file; "
                    "lines may be lost).")),
      logs_missed(r.counter("log_capturer_json_file_logs_missed_total",
                            "Containers removed before their json-file log was ever opened (past "
                            "inputs.docker.max_pinned_files open logs): their lines are lost.")),
      rotated_away(r.counter("log_capturer_json_file_rotated_away_total",
                             "Rotated json-file files deleted before they were read (their lines "
                             "are lost).")),
      read_errors(r.counter("log_capturer_json_file_read_errors_total",
                            "Failed opens, reads or stats of json-file logs.")),
      bytes_read(
          r.counter("log_capturer_json_file_read_bytes_total", "Raw json-file bytes consumed.")),
      open_files(r.gauge("log_capturer_json_file_open_files",
                         "json-file logs held open (at most one per container).")),
      inotify_watches(r.gauge("log_capturer_file_watches", "Directories watched for changes.",
                              {{"backend", "inotify"}})),
      polled_watches(r.gauge("log_capturer_file_watches", "Directories watched for changes.",
                             {{"backend", "poll"}})),
      watch_fallbacks(r.counter("log_capturer_file_watch_fallbacks_total",
                                "Directory watches that fell back to polling.")) {}

}  // namespace lc::json_file
