#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/agent_config.hpp"
#include "core/log_record.hpp"
#include "pipeline/memory_budget.hpp"

namespace lc {

class CheckpointTracker;
class Counter;
class Gauge;
class HealthRegistry;
class MetricsRegistry;
class Sink;

// Carries records from the inputs (any thread) to a sink (on the sink executor): bounded in
// bytes, batched by count, bytes and time, retried with backoff until the sink has them, and
// only then acknowledged to the checkpoint tracker. Nothing is ever dropped here.
class Pipeline {
 public:
  Pipeline(const PipelineConfig& config, boost::asio::any_io_executor sink_executor, Sink& sink,
           CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health);
  ~Pipeline();

  // Waits for room under the memory bound (this is where inputs stop reading), then queues
  // the records. Throws operation_aborted once the pipeline is stopping.
  boost::asio::awaitable<void> submit(std::vector<LogRecord> records);

  // Starts the delivery loop on the sink executor.
  void start();
  // Stops accepting new records (pending submits fail) and delivers what is queued; the
  // loop ends when the queue is empty or when `deadline` passes (what is left is not
  // acknowledged, so it is read again after a restart). Call on any thread; wait with
  // wait_stopped() or by running the sink executor.
  void stop(std::chrono::steady_clock::time_point deadline);
  bool stopped() const { return stopped_.load(); }

  std::uint64_t memory_in_use() const { return budget_.in_use(); }
  std::size_t queued_records() const;

 private:
  boost::asio::awaitable<void> deliver_loop();
  boost::asio::awaitable<void> wait_for_batch();
  std::vector<LogRecord> take_batch(std::uint64_t& bytes);
  boost::asio::awaitable<void> deliver(std::vector<LogRecord> batch, std::uint64_t bytes);
  bool batch_ready_locked() const;
  void wake();

  const PipelineConfig config_;
  boost::asio::any_io_executor sink_executor_;
  Sink& sink_;
  CheckpointTracker& tracker_;
  HealthRegistry& health_;
  MemoryBudget budget_;
  boost::asio::steady_timer wake_timer_;   // touched only on the sink executor
  boost::asio::steady_timer retry_timer_;  // likewise

  mutable std::mutex mutex_;
  std::deque<LogRecord> queue_;
  std::uint64_t queued_bytes_ = 0;

  std::atomic<bool> stopping_{false};
  std::atomic<bool> stopped_{false};
  std::chrono::steady_clock::time_point stop_deadline_{};
  std::atomic<std::int64_t> blocked_ns_{0};

  Counter& records_in_;
  Counter& records_delivered_;
  Counter& batches_;
  Counter& retries_;
  Counter& rejected_;
};

}  // namespace lc
