#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/processor_spec.hpp"
#include "metrics/metrics_scope.hpp"
#include "processors/multiline/multiline_joiner.hpp"
#include "processors/record_selector.hpp"

namespace lc::multiline {

// The multiline processors of a configuration, for the inputs that join lines before they
// become records: which one (if any) applies to a container's stream or a file. A container's
// io.log-capturer.multiline label (a preset name, or several with commas) comes first, unless
// container hints are off; then the first processor whose `when` matches. Its counters are
// the processors' own series (processor=<name>), the hint's under processor=container_hints.
// Thread-safe.
class MultilineSelection {
 public:
  MultilineSelection(const std::vector<ProcessorSpec>& processors, bool container_hints,
                     MetricsRegistry& metrics);

  // `probe`: a record carrying the source (container or file_source) and the stream.
  std::optional<StreamJoining> for_stream(const LogRecord& probe) const;
  bool empty() const { return entries_.empty() && !hints_; }

 private:
  struct Entry {
    std::optional<RecordSelector> when;
    StreamJoining joining;
  };
  std::optional<StreamJoining> hinted(const LogRecord& probe) const;
  JoinCounters counters_for(const std::string& processor, bool counts_records);

  mutable MetricsScope metrics_;
  std::vector<Entry> entries_;
  const bool hints_;
  JoinCounters hint_counters_;
  mutable std::mutex hinted_mutex_;
  // Label value -> its rules (nullptr: names no preset, warned once).
  mutable std::map<std::string, std::shared_ptr<const MultilineRules>, std::less<>> hinted_;
};

inline constexpr const char* kMultilineHint = "io.log-capturer.multiline";

}  // namespace lc::multiline
