#pragma once

#include <string>

#include "metrics/metrics_registry.hpp"

namespace lc::file_input {

// Counters of one files input (tailed plain-text files), labelled with its name and shared by
// every reader. Lines and bytes are counted as read from the files, before multiline joining.
struct FileInputMetrics {
  explicit FileInputMetrics(MetricsRegistry& registry, const std::string& input = "files");

 private:
  MetricLabels labels_;  // first: the series below are registered with it

 public:
  Gauge& files_watched;            // paths followed now
  Gauge& open_files;               // fds held by the readers (bounded by max_open_files)
  Counter& lines;                  // lines read (complete, or flushed without '\n')
  Counter& bytes;                  // bytes consumed from the files, newlines included
  Counter& lines_truncated;        // lines cut at max_line_bytes
  Counter& unterminated_lines;     // last lines without '\n' flushed (rotated, deleted, timeout)
  Counter& rotations;              // the path came to name another file
  Counter& truncations;            // a file was truncated (copytruncate): read again from 0
  Counter& resume_lost;            // a saved position whose file could not be found again
  Counter& read_errors;            // failed stats and reads of open files
  Counter& multiline_records;      // records joined from more than one line
  Counter& multiline_truncated;    // joined records cut at multiline max_lines / max_bytes
  Counter& closed_for_open_limit;  // files closed to stay under max_open_files
  Counter& files_refused;          // matched, but another files input reads them
};

}  // namespace lc::file_input
