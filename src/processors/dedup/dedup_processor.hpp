#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "core/field_path.hpp"
#include "processors/common/bounded_key_map.hpp"
#include "processors/common/key_digest.hpp"
#include "processors/dedup/dedup_options.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"

namespace lc {

// processors: - type: dedup. Drops a record whose chosen paths equal those of a record passed
// less than `window` ago (records_dropped_total). Records are remembered by a keyed 128-bit
// digest of those values (processors/common/key_digest.hpp): memory bounded by max_entries.
class DedupProcessor final : public Processor {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  DedupProcessor(std::string name, const DedupOptions& options, ProcessorMetrics& metrics,
                 Now now = Clock::now);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  KeyDigest identity(const LogRecord& record, std::string& scratch) const;
  bool is_repeat(const KeyDigest& identity, Clock::time_point now);

  std::string name_;
  std::vector<FieldPath> paths_;
  Clock::duration window_;
  std::string host_;
  Now now_;
  std::mutex mutex_;
  BoundedKeyMap<KeyDigest, Clock::time_point, KeyDigestHash> passed_;  // -> when it last passed
  ProcessorMetrics& metrics_;
  Counter& evicted_;
};

}  // namespace lc
