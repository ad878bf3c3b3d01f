#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/log_record.hpp"

namespace lc {

// Why a sink holds (kHold): the log_capturer_sink_holds_total{reason} label.
enum class SinkHoldCause {
  kAuth,              // credentials, tenant or permissions refused (401, 403, 407)
  kMisconfiguration,  // many whole batches in a row refused by answers that judge no record
};
inline constexpr std::size_t kSinkHoldCauseCount = 2;
inline std::string_view to_string(SinkHoldCause cause) {
  return cause == SinkHoldCause::kAuth ? "auth" : "misconfiguration";
}

// What a sink says about one batch.
struct SinkWriteOutcome {
  enum class Kind {
    kDelivered,  // durably written / acknowledged: the batch counts as delivered
    kRetry,      // transient failure (full disk, connection refused...): retry the same batch
    kRejected,   // permanent failure for these records (malformed): dead-letter them
    kHold,       // the sink is misconfigured (auth, wrong URL): retry forever, never dead-letter
  };
  Kind kind = Kind::kDelivered;
  std::string reason;  // empty when delivered
  // kRejected when the sink took some of the batch and refused the rest (a batch it split):
  // the refused records' places in the batch, in increasing order. Empty: all were refused.
  std::vector<std::uint32_t> refused_records;
  // kRetry: the answer says nothing against the records (an unexpected 404, a proxy's page), so
  // the sink's retry.limit never sends them to the dead letters. kHold: always so.
  bool not_the_records = false;
  SinkHoldCause hold_cause = SinkHoldCause::kAuth;  // kHold only
  // kRetry: the backend asked to wait this long first (an HTTP Retry-After); the pipeline
  // waits at least this, up to kMaxRetryAfter, instead of its own backoff when that is shorter.
  std::chrono::milliseconds retry_after{0};
  // kRetry: the places, in increasing order, of the batch's records the backend already has (a
  // split's delivered half, messages acknowledged before others failed). Should the retries run
  // out, only the others become dead letters: a replay of these would send them twice.
  std::vector<std::uint32_t> delivered_records{};
  static constexpr std::chrono::milliseconds kMaxRetryAfter{std::chrono::minutes(5)};

  static SinkWriteOutcome delivered() { return {}; }
  static SinkWriteOutcome retry(std::string why) { return {Kind::kRetry, std::move(why), {}}; }
  static SinkWriteOutcome retry_not_the_records(std::string why) {
    return {Kind::kRetry, std::move(why), {}, true};
  }
  static SinkWriteOutcome hold(SinkHoldCause cause, std::string why) {
    return {Kind::kHold, std::move(why), {}, true, cause};
  }
  static SinkWriteOutcome rejected(std::string why) {
    return {Kind::kRejected, std::move(why), {}};
  }
  static SinkWriteOutcome rejected_some(std::string why, std::vector<std::uint32_t> which) {
    return {Kind::kRejected, std::move(why), std::move(which)};
  }
  bool ok() const { return kind == Kind::kDelivered; }
};

// A destination for records. The pipeline calls write() from one coroutine at a time, on the
// sink loop, and only counts a batch as delivered when write() says so: a sink must not
// report kDelivered for records it could still lose (per its own durability policy).
class Sink {
 public:
  virtual ~Sink() = default;
  // Lifecycle for sinks with threads or producers of their own (librdkafka's): start() before
  // the first write(); stop() after the last, flushing what the sink itself still holds until
  // `deadline`. Called off the sink loop, never while a write() runs: at start and shutdown, and
  // by a reload (its worker thread) for a sink it adds, or replaces or removes once its lane
  // has let go of it. The sink is then destroyed on the sink loop.
  virtual void start() {}
  virtual void stop(std::chrono::steady_clock::time_point deadline) { (void)deadline; }
  // The lane stops by `deadline` (on the sink loop, possibly while a write() runs): a write that
  // waits on a clock of its own (Splunk's indexer acknowledgement) gives up by then, with a
  // retry, instead of holding the shutdown up.
  virtual void stop_waiting_by(std::chrono::steady_clock::time_point deadline) { (void)deadline; }
  virtual const std::string& name() const = 0;
  virtual boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) = 0;
  // Makes everything delivered so far durable (fsync), before checkpoints are saved. Throws
  // std::system_error when it cannot: the caller then keeps the previous checkpoint.
  virtual void flush() {}
  // Called after a delivered batch that ended with the last record of a submitted group: what
  // the sink holds now is whole groups, all acknowledged (a group split across two batches is
  // acknowledged only with its last record). The file store checkpoints its cursor only here.
  virtual void at_group_boundary() {}
};

}  // namespace lc
