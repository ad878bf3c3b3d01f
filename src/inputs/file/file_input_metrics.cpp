#include "inputs/file/file_input_metrics.hpp"

namespace lc::file_input {

FileInputMetrics::FileInputMetrics(MetricsRegistry& r, const std::string& input)
    : labels_{{"input", input}},
      files_watched(
          r.gauge("log_capturer_file_input_files", "Files followed by the file input.", labels_)),
      open_files(r.gauge("log_capturer_file_input_open_files",
                         "Files held open by the file input (at most max_open_files).", labels_)),
      lines(r.counter("log_capturer_file_input_lines_total",
                      "Lines read from followed files (before multiline joining).", labels_)),
      bytes(r.counter("log_capturer_file_input_bytes_total",
                      "Bytes consumed from followed files, newlines included.", labels_)),
      lines_truncated(r.counter("log_capturer_file_input_lines_truncated_total",
                                "File lines cut at max_line_bytes (flagged truncated).", labels_)),
      unterminated_lines(
          r.counter("log_capturer_file_input_unterminated_lines_total",
                    "Last lines without a newline delivered because their file was rotated "
                    "away, deleted, or idle past the unterminated-line timeout.",
                    labels_)),
      rotations(r.counter("log_capturer_file_input_rotations_total",
                          "Times a followed path came to name another file (renamed away, "
                          "replaced, symlink re-pointed).",
                          labels_)),
      truncations(r.counter("log_capturer_file_input_truncations_total",
                            "Followed files found truncated (copytruncate) and read again "
                            "from their start.",
                            labels_)),
      resume_lost(r.counter("log_capturer_file_input_resume_lost_total",
                            "Saved file positions whose file could not be found again (read "
                            "from the start of the current file; lines may be lost).",
                            labels_)),
      read_errors(r.counter("log_capturer_file_input_read_errors_total",
                            "Failed stats or reads of followed files.", labels_)),
      multiline_records(r.counter("log_capturer_file_input_multiline_records_total",
                                  "Records joined from more than one line by the input's own "
                                  "multiline keys.",
                                  labels_)),
      multiline_truncated(r.counter("log_capturer_file_input_multiline_truncated_total",
                                    "Such records delivered at multiline max_lines or max_bytes.",
                                    labels_)),
      closed_for_open_limit(
          r.counter("log_capturer_file_input_closed_for_open_limit_total",
                    "Files closed to stay under max_open_files (reopened at the same position "
                    "on their next turn).",
                    labels_)),
      files_refused(r.counter(
          "log_capturer_file_input_files_refused_total",
          "Files this input matched but did not read because another files input reads them.",
          labels_)) {}

}  // namespace lc::file_input
