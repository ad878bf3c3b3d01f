#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "config/agent_config.hpp"
#include "core/log_record.hpp"
#include "pipeline/acknowledgement_order.hpp"
#include "pipeline/blocked_time.hpp"
#include "pipeline/memory_budget.hpp"
#include "pipeline/sink_lane.hpp"

namespace lc {

class CheckpointTracker;
class Counter;
class HealthRegistry;
class MetricsRegistry;
class Sink;

// Carries records from the inputs (any thread) to every sink (on the sink executor): bounded
// in bytes, fanned out to one SinkLane per sink (each batching, retrying and dead-lettering on
// its own), and acknowledged to the checkpoint tracker only once every sink that took a
// group of records is done with it, and in the order the groups were submitted (a sink that
// drops when full takes only some groups, so they can finish out of order): a source's
// checkpoint moves like a watermark, a slow sink holds it back, never past records it has
// not acknowledged. Nothing is dropped here, except
// for a sink configured with when_full: drop_newest (counted).
class Pipeline {
 public:
  using DeadLetterHook = decltype(SinkLaneHooks::dead_letter);

  Pipeline(const PipelineConfig& config, boost::asio::any_io_executor sink_executor,
           std::vector<SinkLane::Options> sinks, CheckpointTracker& tracker,
           MetricsRegistry& metrics, HealthRegistry& health, DeadLetterHook dead_letter = {});
  // One sink, block when full, no dead-letter store.
  Pipeline(const PipelineConfig& config, boost::asio::any_io_executor sink_executor, Sink& sink,
           CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health);
  ~Pipeline();

  // Waits for room under the memory bound (this is where inputs stop reading), then queues
  // the records for every sink. Throws operation_aborted once the pipeline is stopping.
  boost::asio::awaitable<void> submit(std::vector<LogRecord> records);

  // Inputs that can read the same lines again later (container json-files, tailed files) call
  // this before each read: it waits while the pipeline holds pipeline.read_ahead_bytes or more,
  // so that lines wait on disk rather than in memory. The rest of the bound is for API streams.
  // Throws operation_aborted once the pipeline is stopping.
  boost::asio::awaitable<void> wait_for_read_room();

  // Sends records again to the sink named `sink` only (dead letters being reprocessed); they
  // move no checkpoint. False when there is no such sink or no room under the bound right now.
  bool redeliver(const std::string& sink, std::vector<LogRecord> records);

  // Starts the delivery loops on the sink executor.
  void start();
  // Stops accepting new records (pending submits fail) and delivers what is queued; the
  // lanes end when their queues are empty or when `deadline` passes (what is left is not
  // acknowledged, so it is read again after a restart). Call on any thread.
  void stop(std::chrono::steady_clock::time_point deadline);
  bool stopped() const;

  std::uint64_t memory_in_use() const { return budget_.in_use(); }
  std::size_t queued_records() const;

 private:
  void chunk_done(const std::shared_ptr<PipelineChunk>& chunk);

  const PipelineConfig config_;
  boost::asio::any_io_executor sink_executor_;
  CheckpointTracker& tracker_;
  HealthRegistry& health_;
  MemoryBudget budget_;
  AcknowledgementOrder acknowledgements_;
  std::atomic<bool> stopping_{false};
  BlockedTime blocked_;

  Counter& records_in_;
  Counter& records_delivered_;
  SinkLane::Totals totals_;
  std::vector<std::unique_ptr<SinkLane>> lanes_;
};

}  // namespace lc
