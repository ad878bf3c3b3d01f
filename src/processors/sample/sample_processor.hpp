#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "processors/common/bounded_key_map.hpp"
#include "processors/common/key_digest.hpp"
#include "processors/common/record_key.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"
#include "processors/record_selector.hpp"
#include "processors/sample/sample_options.hpp"

namespace lc {

// processors: - type: sample. Keeps the first record of each key and every rate-th after it;
// drops the others (records_dropped_total), except those always_keep selects (errors, say).
// Deterministic: the same records in the same order keep the same ones.
class SampleProcessor final : public Processor {
 public:
  SampleProcessor(std::string name, const SampleOptions& options, ProcessorMetrics& metrics);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  // Whether the next record of `key` is one to keep (counts it).
  bool keeps_next(const KeyDigest& key);

  std::string name_;
  RecordKey key_;
  std::uint32_t rate_;
  std::optional<RecordSelector> always_keep_;
  std::mutex mutex_;
  BoundedKeyMap<KeyDigest, std::uint64_t, KeyDigestHash> seen_;  // records seen per key
  ProcessorMetrics& metrics_;
  Counter& evicted_;
};

}  // namespace lc
