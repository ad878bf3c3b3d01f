#include "processors/throttle/throttle_processor.hpp"

namespace lc {

ThrottleProcessor::ThrottleProcessor(std::string name, const ThrottleOptions& options,
                                     ProcessorMetrics& metrics, Now now)
    : name_(std::move(name)),
      key_(options.key),
      buckets_(options.rate, options.burst == 0 ? options.rate : options.burst,
               options.key.max_keys),
      now_(std::move(now)),
      metrics_(metrics),
      evicted_(metrics.keys_evicted()) {}

void ThrottleProcessor::process(std::vector<LogRecord>& records) {
  thread_local std::string key;
  const auto now = now_();
  std::size_t kept = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    key_.render(records[i], key);
    bool evicted = false;
    const bool passes = buckets_.take(digest_key(key), now, evicted);
    if (evicted) evicted_.inc();
    if (!passes) continue;
    if (kept != i) records[kept] = std::move(records[i]);
    ++kept;
  }
  metrics_.dropped.inc(records.size() - kept);
  records.resize(kept);
}

}  // namespace lc
