#pragma once

#include <functional>
#include <string>
#include <vector>

#include "processors/common/record_key.hpp"
#include "processors/processor.hpp"
#include "processors/processor_metrics.hpp"
#include "processors/throttle/throttle_options.hpp"
#include "processors/throttle/token_buckets.hpp"

namespace lc {

// processors: - type: throttle. Passes each key's records up to its token bucket and drops the
// rest (records_dropped_total; the key is never a label). Their source positions advance: a
// throttled record is not read again.
class ThrottleProcessor final : public Processor {
 public:
  using Now = std::function<TokenBuckets::Clock::time_point()>;

  ThrottleProcessor(std::string name, const ThrottleOptions& options, ProcessorMetrics& metrics,
                    Now now = TokenBuckets::Clock::now);

  const std::string& name() const override { return name_; }
  void process(std::vector<LogRecord>& records) override;

 private:
  std::string name_;
  RecordKey key_;
  TokenBuckets buckets_;
  Now now_;
  ProcessorMetrics& metrics_;
  Counter& evicted_;
};

}  // namespace lc
