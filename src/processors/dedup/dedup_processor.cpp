#include "processors/dedup/dedup_processor.hpp"

#include <stdexcept>
#include <string_view>

#include "core/machine_hostname.hpp"
#include "core/record_template.hpp"

namespace lc {

DedupProcessor::DedupProcessor(std::string name, const DedupOptions& options,
                               ProcessorMetrics& metrics, Now now)
    : name_(std::move(name)),
      window_(options.window),
      host_(machine_hostname()),
      now_(std::move(now)),
      passed_(options.max_entries),
      metrics_(metrics),
      evicted_(metrics.keys_evicted()) {
  for (const std::string& text : options.fields) {
    FieldPath& path = paths_.emplace_back();
    if (auto problem = parse_field_path(text, path)) throw std::invalid_argument(*problem);
  }
}

KeyDigest DedupProcessor::identity(const LogRecord& record, std::string& scratch) const {
  scratch.clear();
  const RecordContext context{record, host_};
  for (const FieldPath& path : paths_) {
    if (path.root == FieldPath::Root::kMessage && path.segments.empty()) {
      scratch += record.message;  // the usual, long one: no copy through read_path_text
    } else {
      scratch += read_path_text(path, context);
    }
    scratch += '\x1f';  // a separator no path's text holds in practice: "ab"+"c" != "a"+"bc"
  }
  return digest_key(scratch);
}

bool DedupProcessor::is_repeat(const KeyDigest& identity, Clock::time_point now) {
  const std::lock_guard lock(mutex_);
  bool evicted = false;
  bool added = false;
  Clock::time_point& passed = passed_.find_or_add(
      identity,
      [&] {
        added = true;
        return now;
      },
      evicted);
  if (evicted) evicted_.inc();
  if (added) return false;
  if (now - passed < window_) return true;
  passed = now;
  return false;
}

void DedupProcessor::process(std::vector<LogRecord>& records) {
  thread_local std::string scratch;
  const Clock::time_point now = now_();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    // The digest outside the lock: only the map is shared between input threads.
    if (is_repeat(identity(records[i], scratch), now)) continue;
    if (kept != i) records[kept] = std::move(records[i]);
    ++kept;
  }
  metrics_.dropped.inc(records.size() - kept);
  records.resize(kept);
}

}  // namespace lc
