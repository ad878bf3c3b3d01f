#include "processors/sample/sample_processor.hpp"

namespace lc {

SampleProcessor::SampleProcessor(std::string name, const SampleOptions& options,
                                 ProcessorMetrics& metrics)
    : name_(std::move(name)),
      key_(options.key),
      rate_(options.rate),
      seen_(options.key.max_keys),
      metrics_(metrics),
      evicted_(metrics.keys_evicted()) {
  if (options.always_keep) always_keep_.emplace(*options.always_keep);
}

bool SampleProcessor::keeps_next(const KeyDigest& key) {
  const std::lock_guard lock(mutex_);
  bool evicted = false;
  std::uint64_t& seen = seen_.find_or_add(
      key, [] { return std::uint64_t{0}; }, evicted);
  if (evicted) evicted_.inc();
  return seen++ % rate_ == 0;
}

void SampleProcessor::process(std::vector<LogRecord>& records) {
  thread_local std::string key;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    // Selector and key outside the lock: only the count is shared between input threads.
    bool keep = always_keep_ && always_keep_->matches(records[i]);
    if (!keep) {
      key_.render(records[i], key);
      keep = keeps_next(digest_key(key));
    }
    if (!keep) continue;
    if (kept != i) records[kept] = std::move(records[i]);
    ++kept;
  }
  metrics_.dropped.inc(records.size() - kept);
  records.resize(kept);
}

}  // namespace lc
