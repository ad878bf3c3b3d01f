#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "buffer/dead_letter/dead_letter_store.hpp"
#include "core/log_record.hpp"
#include "core/timestamp.hpp"

namespace lc {

// Called once the sink's lane is done with redelivered records (delivered, dead-lettered again,
// or safe in its disk buffer), with how many of them it refused for good. Never called when
// the lane stops first: it is then destroyed uncalled.
using RedeliveryDone = std::function<void(std::uint64_t refused)>;

// How a replay reaches the pipeline.
struct DeadLetterRedelivery {
  std::function<bool(std::string_view sink)> has_sink;
  // Queues the records for `sink`; false when refused (stopping, no room): `done` is dropped.
  std::function<bool(const std::string& sink, std::vector<LogRecord> records, RedeliveryDone done)>
      redeliver;
};

// One replay's progress, as /dlq/stats shows it. pending = queued - delivered -
// dead_lettered_again - not_confirmed.
struct DeadLetterReplayProgress {
  std::uint64_t id = 0;
  TimestampNs started = 0;
  std::uint64_t taken = 0;                // entries taken from the store
  std::uint64_t queued = 0;               // handed to the sinks' lanes
  std::uint64_t not_queued = 0;           // refused by the pipeline (stopping, full): kept
  std::uint64_t delivered = 0;            // confirmed: removed from the store
  std::uint64_t dead_lettered_again = 0;  // refused again: stored anew, the old entry removed
  std::uint64_t not_confirmed = 0;        // lane stopped first, or the removal failed: kept
  std::uint64_t pending = 0;
  // Entries of sinks no longer configured: left in the store, not replayed.
  std::map<std::string, std::uint64_t> skipped_unconfigured_sinks;
};

// Replays dead letters at least once: an entry is removed from the store only when the lane
// of its sink is done with it, and is in flight meanwhile, so that no other replay takes it.
// Entries of other sinks are confirmed each on their own: a sink refusing never makes the
// records another sink took be sent again. Thread-safe; completions come on the sink thread.
class DeadLetterReplays {
 public:
  // The store outlives this object and every redelivery it starts.
  DeadLetterReplays(DeadLetterStore& store, DeadLetterRedelivery redelivery);

  // Takes the oldest entries (of `sink` only, when given) not in flight, bounded by count and
  // stored bytes, and queues them for their sinks.
  DeadLetterReplayProgress start(std::size_t limit, std::uint64_t max_bytes,
                                 std::optional<std::string> sink);
  // The latest replays, oldest first.
  std::vector<DeadLetterReplayProgress> recent() const;

  static constexpr std::size_t kKeptReplays = 16;
  // Entries confirmed together: what a crash can send twice, at most, per sink.
  static constexpr std::size_t kEntriesPerRedelivery = 100;

 private:
  struct Replay;
  class Redelivered;

  DeadLetterStore& store_;
  DeadLetterRedelivery redelivery_;
  mutable std::mutex mutex_;
  std::uint64_t next_id_ = 1;
  std::deque<std::shared_ptr<Replay>> replays_;
};

}  // namespace lc
