#pragma once

#include <atomic>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "config/agent_config.hpp"
#include "core/log_record.hpp"
#include "metrics/metrics_scope.hpp"
#include "pipeline/acknowledgement_order.hpp"
#include "pipeline/blocked_time.hpp"
#include "pipeline/memory_budget.hpp"
#include "pipeline/router.hpp"
#include "pipeline/sink_lane.hpp"
#include "processors/processor_chain.hpp"

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

  // What runs between submit() and the lanes: the processors (none: records go on unchanged)
  // and the routes (none: every record to every sink).
  struct Stages {
    std::vector<ProcessorSpec> processors;
    std::vector<RouteConfig> routes;
  };

  // Throws std::invalid_argument when a processor or route cannot be built (a bad regex, a
  // route to a sink that is not among `sinks`).
  Pipeline(const PipelineConfig& config, boost::asio::any_io_executor sink_executor,
           std::vector<SinkLane::Options> sinks, CheckpointTracker& tracker,
           MetricsRegistry& metrics, HealthRegistry& health, DeadLetterHook dead_letter = {},
           const Stages& stages = {});
  // One sink, block when full, no dead-letter store.
  Pipeline(const PipelineConfig& config, boost::asio::any_io_executor sink_executor, Sink& sink,
           CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health);
  ~Pipeline();

  // Runs the processors on the records (on the caller's thread), routes them, waits for room
  // under the memory bound (this is where inputs stop reading), then queues them for their
  // sinks. The source positions of every submitted record, including those a processor
  // dropped or no route took, advance once the sinks are done with the rest. Throws
  // operation_aborted once the pipeline is stopping.
  boost::asio::awaitable<void> submit(std::vector<LogRecord> records);

  // Inputs that can read the same lines again later (container json-files, tailed files) call
  // this before each read: it waits while the pipeline holds pipeline.read_ahead_bytes or more,
  // so that lines wait on disk rather than in memory. The rest of the bound is for API streams.
  // Throws operation_aborted once the pipeline is stopping.
  boost::asio::awaitable<void> wait_for_read_room();

  // Sends records again to the sink named `sink` only (dead letters being reprocessed); they
  // move no checkpoint. False when there is no such sink, no room under the bound right now
  // or the pipeline is stopping. `done` (on the sink executor) once the lane is done with
  // them: delivered, refused again (how many) and dead-lettered, or in its disk buffer; never
  // if it stops before (then `done` is destroyed uncalled).
  bool redeliver(const std::string& sink, std::vector<LogRecord> records,
                 std::function<void(std::uint64_t refused)> done = {});
  bool has_sink(std::string_view sink) const;

  // A reload: pipeline.memory_limit_bytes, read_ahead_bytes and flush_on_idle of `config` apply
  // from now on (the records held stay; a larger bound lets waiting inputs in). Any thread.
  void set_bounds(const PipelineConfig& config);

  // A reload's changes to the sinks: `added` get lanes of their own; a `replaced` sink's lane
  // keeps its queue and disk buffer and sends to the new sink (SinkLane::replace_sink); a
  // `removed` sink's lane drops what it holds, counted, releasing its checkpoint share
  // (SinkLane::abandon). `released` is called on the sink executor with each sink a lane no
  // longer uses: it may then be stopped and destroyed.
  struct SinkChanges {
    std::vector<SinkLane::Options> added;
    std::vector<SinkLane::Options> replaced;
    std::vector<std::string> removed;
    SinkLane::Released released;
  };
  // A reload: the processors and routes of `stages` and the lanes after `sinks` replace the
  // running ones as one snapshot (a submit uses either the old or the new ones, never a mix);
  // submits in progress finish with the old ones. Throws std::invalid_argument, changing
  // nothing, when a stage cannot be built (a route to a sink that is not there). Any thread but
  // the sink executor's; not while stopping.
  void reconfigure(const Stages& stages, SinkChanges sinks = {});

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
  // Records bound for the same lanes.
  struct RoutedGroup {
    std::vector<LogRecord> records;
    std::uint64_t bytes = 0;
    std::vector<SinkLane*> lanes;
    Router::LaneSet lane_bit = 0;  // mixed routing: the one lane this group is for
  };
  // Groups the records by the lanes they go to: one group when all go to the same lanes (the
  // usual case: `lanes_of` is then left empty), else one group per lane with its own copies
  // (`lanes_of`: each record's lanes). Records no route takes are counted and left out.
  struct StageSet;
  std::vector<RoutedGroup> route(const StageSet& stages, std::vector<LogRecord> records,
                                 std::vector<Router::LaneSet>& lanes_of);
  void chunk_done(const std::shared_ptr<PipelineChunk>& chunk);
  // pipeline.flush_on_idle: after a submit, once the input's thread has nothing else queued
  // that submits, the lanes send their partial batches.
  void note_submit(const boost::asio::any_io_executor& input);
  void check_idle_after(const boost::asio::any_io_executor& input, std::uint64_t seen);

  std::atomic<std::uint64_t> read_ahead_bytes_;
  std::atomic<bool> flush_on_idle_;
  boost::asio::any_io_executor sink_executor_;
  CheckpointTracker& tracker_;
  HealthRegistry& health_;
  MemoryBudget budget_;
  AcknowledgementOrder acknowledgements_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::uint64_t> submits_{0};
  std::atomic<bool> idle_check_pending_{false};
  std::shared_ptr<void> alive_ = std::make_shared<char>();  // see check_idle_after()
  BlockedTime blocked_;

  Counter& records_in_;
  Counter& records_delivered_;
  SinkLane::Totals totals_;
  Counter& records_unrouted_;
  // What a submit uses, swapped whole by reconfigure(): the processors, the router and the
  // lanes its bits stand for.
  struct StageSet {
    std::unique_ptr<ProcessorChain> processors;  // null: no processors
    std::unique_ptr<Router> router;              // null: no routes
    std::vector<std::shared_ptr<SinkLane>> lanes;
  };
  std::shared_ptr<StageSet> build_stages(const Stages& stages,
                                         std::vector<std::shared_ptr<SinkLane>> lanes);
  std::shared_ptr<SinkLane> make_lane(const SinkLane::Options& sink);
  // The running snapshot, held by the caller while it uses the lanes.
  std::shared_ptr<StageSet> current() const { return stages_.load(); }
  // Destroys, on the sink executor, removed lanes that have stopped and that no submit uses.
  void reap_retired_lanes();

  MetricsRegistry& registry_;
  SinkLaneHooks lane_hooks_;
  std::atomic<std::shared_ptr<StageSet>> stages_;
  mutable std::mutex lanes_mutex_;  // reconfigure() against stop(), and retired_lanes_
  std::vector<std::shared_ptr<SinkLane>> retired_lanes_;  // removed, until reaped
  std::atomic<bool> has_retired_lanes_{false};
  MetricsScope metrics_;  // the callbacks below read members: released first in ~Pipeline
};

}  // namespace lc
