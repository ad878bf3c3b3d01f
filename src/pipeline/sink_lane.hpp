#pragma once

#include <array>
#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "config/sink_delivery_config.hpp"
#include "core/log_record.hpp"
#include "metrics/metrics_scope.hpp"
#include "pipeline/delivery_delay.hpp"
#include "pipeline/delivery_receipt.hpp"
#include "sinks/sink.hpp"

namespace lc {

class Counter;
class DiskBuffer;
class Gauge;
class HealthRegistry;
class MemoryBudget;
class MetricsRegistry;

// A group of records submitted together, while its records travel to the sinks: its receipt
// (kept by the pipeline's AcknowledgementOrder at `place`) goes to the checkpoint tracker once
// every lane that took them is done with them and every earlier chunk is too.
struct PipelineChunk {
  std::optional<std::uint64_t> place;  // none for a redelivery (no checkpoint moves)
  std::uint64_t records = 0;
  std::atomic<std::size_t> lanes_left{0};
  // Records a sink refused for good (dead letters): not counted as delivered.
  std::atomic<std::uint64_t> refused{0};
  // A redelivery's: told, with `refused`, once every lane is done with it.
  std::function<void(std::uint64_t refused)> redelivered;
};

// What the pipeline asks of a lane's owner.
struct SinkLaneHooks {
  // The lane is done with its copy of the chunk's records (delivered, dead-lettered, or safe
  // in its disk buffer). Called on the sink executor.
  std::function<void(const std::shared_ptr<PipelineChunk>&)> done;
  // Stores records a sink refused for good; false when they could not be stored (the lane
  // then keeps them and tries again later: nothing is lost).
  std::function<bool(const std::string& sink, const std::string& kind, const std::string& reason,
                     std::span<const LogRecord> records)>
      dead_letter;
};

// One sink's share of the pipeline: its own queue of records (a copy per sink), batched by
// count, bytes and time, written with retries (exponential backoff, full jitter, optional
// limit), records the sink refuses for good sent to the dead letters. With when_full: block the
// queue's bytes count against the pipeline's memory bound, so a slow sink eventually stops the
// inputs; with drop_newest they have a bound of their own, beyond which new records are not
// queued for this sink (counted). With a disk buffer, records go to disk first (that is when
// the lane is done with them) and are sent from there.
// Runs on the sink executor; offer() may be called from any thread.
class SinkLane {
 public:
  struct Options {
    Sink& sink;
    SinkDeliveryConfig delivery;
    DiskBuffer* disk_buffer = nullptr;  // owned by the caller, outlives the lane
  };

  SinkLane(Options options, boost::asio::any_io_executor executor, MemoryBudget& budget,
           SinkLaneHooks hooks, MetricsRegistry& metrics, HealthRegistry& health);
  ~SinkLane();
  SinkLane(const SinkLane&) = delete;
  SinkLane& operator=(const SinkLane&) = delete;

  const std::string& name() const;
  // block: the pipeline reserves these bytes in its budget before offering. drop_newest: the
  // lane bounds itself; false (and counted) when it has no room for them.
  bool counts_against_budget() const;
  bool has_room_for(std::uint64_t bytes) const;
  void count_dropped(std::size_t records);
  // Queues the chunk's records (of `bytes` memory) for this sink.
  void offer(std::vector<LogRecord> records, std::uint64_t bytes,
             std::shared_ptr<PipelineChunk> chunk);

  // Inputs wait for room under the read-ahead bound: what is queued goes out now rather than
  // wait for a fuller batch, which would never come (any thread).
  void flush_soon();

  void start();
  // Delivers what is queued until the queue is empty or `deadline` passes (disk-buffered: until
  // everything is on disk). Call on the sink executor.
  void stop(std::chrono::steady_clock::time_point deadline);

  // Called on the sink executor with a sink the lane no longer uses (after replace_sink() or
  // abandon()): it may then be stopped and destroyed.
  using Released = std::function<void(Sink& no_longer_used)>;
  // A reload changed the sink's options: the lane keeps its queue (and disk buffer) and sends to
  // `next.sink` with `next.delivery`'s batch, retry and dead_letters keys from its next write
  // (a write in flight ends first; a retry pause is cut short). The name, when_full,
  // max_queued_bytes and disk buffer must be the same. Call on the sink executor.
  void replace_sink(Options next, Released released);
  // A reload removed the sink: what is queued for it is dropped and counted
  // (log_capturer_sink_removed_records_dropped_total), releasing its share of the checkpoints;
  // so are records offered later by submits already under way. A write in flight ends first;
  // then the lane stops and releases the sink (what its disk buffer holds stays there). Call on
  // the sink executor.
  void abandon(Released released);
  bool stopped() const { return stopped_.load(); }
  std::size_t queued_records() const;

  struct Totals {
    Counter& batches;
    Counter& retries;
    Counter& rejected;
  };
  void set_totals(Totals* totals) { totals_ = totals; }

 private:
  using Clock = std::chrono::steady_clock;
  // One offer's records, queued as they came: a batch takes a whole segment's vector when it
  // can (no record moved), else moves records out one by one from `taken` on.
  struct Segment {
    std::shared_ptr<PipelineChunk> chunk;
    std::vector<LogRecord> records;
    std::size_t taken = 0;         // records already moved into a batch
    std::uint64_t bytes_left = 0;  // memory of the records not taken yet
  };
  struct Batch {
    std::vector<LogRecord> records;
    std::uint64_t bytes = 0;
    std::vector<std::shared_ptr<PipelineChunk>> chunks;  // the chunks it finishes
    // Every chunk it has records of, with how many.
    std::vector<std::pair<std::shared_ptr<PipelineChunk>, std::uint64_t>> touched;
  };

  boost::asio::awaitable<void> memory_loop();
  boost::asio::awaitable<void> disk_ingest_loop();
  boost::asio::awaitable<void> disk_send_loop();
  boost::asio::awaitable<void> wait_for_batch();
  Batch take_batch();
  // Moves the records of the front segment that fit into `batch` (its whole vector when it
  // can); true when the segment is all taken (and popped), false when the batch is full.
  bool take_from_front(Batch& batch);
  // The next batch to send; nullopt once stopping with nothing left.
  boost::asio::awaitable<std::optional<Batch>> next_batch();
  struct Settled {
    enum class Kind { kDelivered, kDeadLettered, kNot } kind = Kind::kDelivered;
    // kDeadLettered: the places in the batch of the records refused (the rest was
    // delivered), or empty when the whole batch was refused.
    std::vector<std::uint32_t> refused_records;
  };
  // Writes until the sink has the batch, refused some or all of it for good (dead-lettered),
  // or the stop deadline passed (kNot: neither delivered nor stored, so not acknowledged).
  boost::asio::awaitable<Settled> write_until_settled(std::span<const LogRecord> records);
  // The retry limit is reached: the records the sink has not delivered become dead letters.
  boost::asio::awaitable<Settled> give_up(std::span<const LogRecord> records,
                                          const SinkWriteOutcome& outcome,
                                          std::vector<bool>& acknowledged, unsigned attempts);
  // Stores records[places] (all of them when `places` is empty) but the acknowledged ones as
  // dead letters of `kind`; the rest is delivered. kNot when the store did not take them by the
  // stop deadline.
  boost::asio::awaitable<Settled> dead_letter(std::span<const LogRecord> records,
                                              std::span<const std::uint32_t> places,
                                              std::vector<bool>& acknowledged,
                                              const std::string& kind, const std::string& reason);
  // Marks records[places] acknowledged (delivered), observing the delivery delay of those not
  // marked before.
  void acknowledge(std::span<const LogRecord> records, std::span<const std::uint32_t> places,
                   std::vector<bool>& acknowledged);
  // A kHold outcome starts a hold (one log line, the gauge, the count); any other ends it.
  void enter_hold(const SinkWriteOutcome& outcome);
  void leave_hold();
  // Adds what `settled` refused to the `refused` count of the chunks of `batch`.
  static void count_refused(const Batch& batch, const Settled& settled);
  boost::asio::awaitable<bool> store_dead_letters(std::span<const LogRecord> records,
                                                  const std::string& kind,
                                                  const std::string& reason,
                                                  boost::asio::steady_timer& pause_timer);
  // Waits `delay` (cut short by stop()) on `timer`: each loop pauses on a timer of its own,
  // since re-arming a timer cancels every wait on it.
  boost::asio::awaitable<void> pause(boost::asio::steady_timer& timer,
                                     std::chrono::nanoseconds delay);
  void finish(Batch& batch);
  static bool ends_whole_groups(const Batch& batch);
  bool deadline_passed() const { return stopping_ && Clock::now() >= stop_deadline_; }
  void wake();

  const SinkDeliveryConfig::Batch& batching() const { return delivery_.batch; }
  const SinkDeliveryConfig::Retry& retrying() const { return delivery_.retry; }
  // Takes the sink replace_sink() left for after the write in flight; true when it is another
  // instance (not the same one with new delivery keys).
  bool adopt_pending_sink();
  // Sets the sink's health unless a reload removed it.
  void report_health(bool healthy, const std::string& reason);
  // Counts an abandoned lane's records as dropped and gives back their memory (`bytes` of it
  // reserved in the pipeline's budget).
  void drop_abandoned(std::uint64_t records, std::uint64_t bytes);
  bool abandoned() const;
  // Done with a chunk of a removed lane (not with a redelivery's: see abandon()).
  void release_abandoned(const std::shared_ptr<PipelineChunk>& chunk);
  // A removed lane's batch that will not be sent: counted, its memory and chunks released.
  void finish_abandoned(Batch& batch);
  Counter& removed_dropped();  // the registry's, not the lane's: it outlives the lane
  void on_loop_end(std::exception_ptr error);

  std::atomic<bool> flush_requested_{false};
  const std::string name_;  // the sink's, read from any thread (sink_ changes on the executor)
  Sink* sink_;
  // batch, retry and dead_letters may change (replace_sink(): batch under mutex_, since
  // offer() reads it); when_full and max_queued_bytes never do.
  SinkDeliveryConfig delivery_;
  const bool blocks_when_full_;
  const std::uint64_t max_queued_bytes_;
  DiskBuffer* const disk_buffer_;
  MetricsRegistry& registry_;
  boost::asio::any_io_executor executor_;
  MemoryBudget& budget_;
  SinkLaneHooks hooks_;
  HealthRegistry& health_;
  const std::string health_name_;
  boost::asio::steady_timer wake_timer_;          // sink executor only
  boost::asio::steady_timer pause_timer_;         // likewise; the memory or the disk send loop's
  boost::asio::steady_timer ingest_pause_timer_;  // the disk ingest loop's
  boost::asio::steady_timer send_wake_timer_;

  mutable std::mutex mutex_;
  std::deque<Segment> segments_;
  std::size_t queued_records_ = 0;
  std::uint64_t queued_bytes_ = 0;
  std::atomic<std::uint64_t> unbudgeted_bytes_{0};  // drop_newest: queued + in flight

  bool stopping_ = false;
  bool ingest_finished_ = false;
  bool writing_ = false;                 // a write to sink_ is in flight (sink executor only)
  std::optional<Options> pending_sink_;  // replace_sink()'s, until the write in flight ends
  Released released_;
  bool abandoned_ = false;                                  // under mutex_
  std::shared_ptr<char> alive_ = std::make_shared<char>();  // see wake()
  int loops_running_ = 0;
  std::atomic<bool> stopped_{false};
  Clock::time_point stop_deadline_{};
  Totals* totals_ = nullptr;

  MetricsScope metrics_;  // the lane's series, gone with it
  Counter& retries_;
  Counter& dead_lettered_;
  Counter& dropped_;
  Gauge& in_flight_;
  Gauge& last_delivery_;
  Gauge& held_gauge_;
  DeliveryDelay delivery_delay_;
  std::array<Counter*, kSinkHoldCauseCount> holds_{};
  bool held_ = false;  // sink executor only
};

}  // namespace lc
