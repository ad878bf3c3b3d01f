#include "pipeline/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/system/system_error.hpp>

#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "sinks/sink.hpp"

namespace lc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t memory_of(const std::vector<LogRecord>& records) {
  std::uint64_t bytes = 0;
  for (const LogRecord& record : records) bytes += record.memory_bytes();
  return bytes;
}

std::vector<SinkLane::Options> one_sink(Sink& sink, const PipelineConfig& config) {
  std::vector<SinkLane::Options> sinks;
  sinks.push_back(SinkLane::Options{sink, delivery_defaults(config), nullptr});
  return sinks;
}

}  // namespace

Pipeline::Pipeline(const PipelineConfig& config, asio::any_io_executor sink_executor, Sink& sink,
                   CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health)
    : Pipeline(config, sink_executor, one_sink(sink, config), tracker, metrics, health) {}

Pipeline::Pipeline(const PipelineConfig& config, asio::any_io_executor sink_executor,
                   std::vector<SinkLane::Options> sinks, CheckpointTracker& tracker,
                   MetricsRegistry& metrics, HealthRegistry& health, DeadLetterHook dead_letter,
                   const Stages& stages)
    : read_ahead_bytes_(config.read_ahead_bytes),
      flush_on_idle_(config.flush_on_idle),
      sink_executor_(sink_executor),
      tracker_(tracker),
      health_(health),
      budget_(config.memory_limit_bytes),
      acknowledgements_(
          [&tracker](const DeliveryReceipt& receipt) { tracker.acknowledge(receipt); }),
      records_in_(metrics.counter("log_capturer_pipeline_records_in_total",
                                  "Records accepted into the pipeline.")),
      records_delivered_(
          metrics.counter("log_capturer_pipeline_records_delivered_total",
                          "Records every sink that took them has acknowledged (their "
                          "checkpoints may advance).")),
      totals_{metrics.counter("log_capturer_pipeline_batches_total",
                              "Batches the sinks acknowledged (all sinks summed)."),
              metrics.counter("log_capturer_pipeline_retries_total",
                              "Batch writes retried after a transient sink failure."),
              metrics.counter("log_capturer_pipeline_records_rejected_total",
                              "Records a sink rejected permanently (then dead-lettered).")},
      records_unrouted_(metrics.counter(
          "log_capturer_router_records_unrouted_total",
          "Records that matched no route and went to no sink (their positions advance).")),
      registry_(metrics),
      lane_hooks_{[this](const std::shared_ptr<PipelineChunk>& chunk) { chunk_done(chunk); },
                  std::move(dead_letter)},
      metrics_(metrics) {
  std::vector<std::shared_ptr<SinkLane>> lanes;
  for (const SinkLane::Options& sink : sinks) lanes.push_back(make_lane(sink));
  stages_.store(build_stages(stages, std::move(lanes)));
  metrics_.gauge_callback("log_capturer_pipeline_memory_bytes",
                          "Bytes of records held by the pipeline (bounded by the limit).",
                          [this] { return static_cast<double>(budget_.in_use()); });
  metrics_.gauge_callback("log_capturer_pipeline_memory_limit_bytes",
                          "The pipeline's memory bound.",
                          [this] { return static_cast<double>(budget_.limit()); });
  metrics_.gauge_callback("log_capturer_pipeline_queued_records",
                          "Records waiting for a sink (each sink's copy counted).",
                          [this] { return static_cast<double>(queued_records()); });
  metrics_.counter_callback(
      "log_capturer_pipeline_blocked_seconds_total",
      "Time inputs spent waiting for room under the memory bound (summed over "
      "inputs, waits still going on included).",
      [this] { return blocked_.seconds(); });
  health_.set("pipeline", true);
}

std::shared_ptr<SinkLane> Pipeline::make_lane(const SinkLane::Options& sink) {
  auto lane =
      std::make_shared<SinkLane>(sink, sink_executor_, budget_, lane_hooks_, registry_, health_);
  lane->set_totals(&totals_);
  return lane;
}

std::shared_ptr<Pipeline::StageSet> Pipeline::build_stages(
    const Stages& stages, std::vector<std::shared_ptr<SinkLane>> lanes) {
  // When the last submit using a replaced snapshot ends, the lanes it alone kept can go.
  std::shared_ptr<StageSet> built(new StageSet,
                                  [this, alive = std::weak_ptr<void>(alive_)](StageSet* replaced) {
                                    delete replaced;
                                    if (alive.expired() || !has_retired_lanes_.load()) return;
                                    asio::post(sink_executor_, [this, alive] {
                                      if (!alive.expired()) reap_retired_lanes();
                                    });
                                  });
  built->lanes = std::move(lanes);
  if (!stages.processors.empty()) {
    built->processors = std::make_unique<ProcessorChain>(stages.processors, registry_);
  }
  if (!stages.routes.empty()) {
    std::vector<std::string> lane_names;
    for (const auto& lane : built->lanes) lane_names.push_back(lane->name());
    built->router = std::make_unique<Router>(stages.routes, lane_names);
  }
  return built;
}

void Pipeline::reconfigure(const Stages& stages, SinkChanges sinks) {
  std::lock_guard lock(lanes_mutex_);
  if (stopping_) throw std::logic_error("the pipeline is stopping");
  const std::shared_ptr<StageSet> running = current();
  std::vector<std::shared_ptr<SinkLane>> lanes;
  std::vector<std::shared_ptr<SinkLane>> removed;
  for (const auto& lane : running->lanes) {
    const bool gone =
        std::find(sinks.removed.begin(), sinks.removed.end(), lane->name()) != sinks.removed.end();
    (gone ? removed : lanes).push_back(lane);
  }
  std::vector<std::shared_ptr<SinkLane>> added;
  for (const SinkLane::Options& sink : sinks.added) added.push_back(make_lane(sink));
  lanes.insert(lanes.end(), added.begin(), added.end());
  std::shared_ptr<StageSet> next = build_stages(stages, lanes);  // throws: nothing changed yet
  for (const auto& lane : added) lane->start();
  stages_.store(next);
  retired_lanes_.insert(retired_lanes_.end(), removed.begin(), removed.end());
  has_retired_lanes_ = !retired_lanes_.empty();
  asio::post(sink_executor_, [this, next, removed, sinks = std::move(sinks)] {
    const SinkLane::Released released = [this, report = sinks.released](Sink& sink) {
      if (report) report(sink);
      asio::post(sink_executor_, [this] { reap_retired_lanes(); });  // once it has stopped
    };
    for (const SinkLane::Options& sink : sinks.replaced) {
      for (const auto& lane : next->lanes) {
        if (lane->name() == sink.sink.name()) lane->replace_sink(sink, released);
      }
    }
    for (const auto& lane : removed) lane->abandon(released);
    reap_retired_lanes();
  });
}

void Pipeline::reap_retired_lanes() {
  std::vector<std::shared_ptr<SinkLane>> reaped;  // destroyed after the lock
  std::lock_guard lock(lanes_mutex_);
  std::erase_if(retired_lanes_, [&](std::shared_ptr<SinkLane>& lane) {
    if (!lane->stopped() || lane.use_count() > 1) return false;
    reaped.push_back(std::move(lane));
    return true;
  });
  has_retired_lanes_ = !retired_lanes_.empty();
}

Pipeline::~Pipeline() {
  metrics_.release();  // first: a scrape must not read what is being destroyed
  alive_.reset();      // the snapshots' deleters, run as the members go, post nothing
  health_.remove("pipeline");
}

asio::awaitable<void> Pipeline::wait_for_read_room() {
  const std::uint64_t threshold = std::min(read_ahead_bytes_.load(), budget_.limit());
  if (budget_.in_use() < threshold) co_return;
  const BlockedTime::Wait blocked(blocked_);
  // Several readers may wake together: each looks again on its own thread before it reads.
  while (budget_.in_use() >= threshold) {
    // What the sinks hold is all they get until they deliver some: no fuller batch will come.
    const std::shared_ptr<StageSet> stages = current();  // held while its lanes are used
    for (const auto& lane : stages->lanes) lane->flush_soon();
    co_await budget_.wait_below(threshold);
  }
}

std::vector<Pipeline::RoutedGroup> Pipeline::route(const StageSet& stages,
                                                   std::vector<LogRecord> records,
                                                   std::vector<Router::LaneSet>& lanes_of) {
  const std::vector<std::shared_ptr<SinkLane>>& all_lanes = stages.lanes;
  const Router* router = stages.router.get();
  std::vector<RoutedGroup> groups;
  lanes_of.clear();
  if (records.empty()) return groups;
  const auto lanes_in = [&](Router::LaneSet set) {
    std::vector<SinkLane*> lanes;
    for (std::size_t i = 0; i < all_lanes.size(); ++i) {
      if (set & (Router::LaneSet{1} << i)) lanes.push_back(all_lanes[i].get());
    }
    return lanes;
  };
  if (router == nullptr) {
    std::vector<SinkLane*> all;
    for (const auto& lane : all_lanes) all.push_back(lane.get());
    groups.push_back(RoutedGroup{std::move(records), 0, std::move(all), 0});
  } else {
    router->lanes_for_each(records, lanes_of);
    const auto unrouted =
        static_cast<std::size_t>(std::count(lanes_of.begin(), lanes_of.end(), Router::LaneSet{0}));
    if (unrouted > 0) records_unrouted_.inc(unrouted);
    if (std::all_of(lanes_of.begin(), lanes_of.end(),
                    [&](Router::LaneSet set) { return set == lanes_of.front(); })) {
      if (lanes_of.front() != 0) {
        groups.push_back(RoutedGroup{std::move(records), 0, lanes_in(lanes_of.front()), 0});
      }
      lanes_of.clear();  // one answer for all: nothing to look up per record
    } else {             // mixed: each lane gets its own copy of the records routed to it, in order
      for (std::size_t i = 0; i < all_lanes.size(); ++i) {
        const Router::LaneSet bit = Router::LaneSet{1} << i;
        RoutedGroup group{{}, 0, {all_lanes[i].get()}, bit};
        for (std::size_t r = 0; r < records.size(); ++r) {
          if (lanes_of[r] & bit) group.records.push_back(records[r]);
        }
        if (!group.records.empty()) groups.push_back(std::move(group));
      }
    }
  }
  for (RoutedGroup& group : groups) group.bytes = memory_of(group.records);
  return groups;
}

asio::awaitable<void> Pipeline::submit(std::vector<LogRecord> records) {
  if (records.empty()) co_return;
  if (stopping_) throw boost::system::system_error(asio::error::operation_aborted);
  const std::size_t submitted = records.size();
  // Positions first: records the processors drop or no route takes are done once the sinks
  // are done with the others.
  DeliveryReceipt receipt = DeliveryReceipt::of(records);
  const std::shared_ptr<StageSet> stages = stages_.load();  // one snapshot for this submit
  if (stages->processors) stages->processors->process(records);
  std::vector<Router::LaneSet> lanes_of;  // per record, when records go to different sinks
  std::vector<RoutedGroup> groups = route(*stages, std::move(records), lanes_of);
  // Which sinks take each group: all that block, and those that drop while they have room.
  std::uint64_t budgeted_bytes = 0;
  std::size_t offers = 0;
  std::uint64_t taken = 0;  // records at least one sink takes
  Router::LaneSet taking_lanes = 0;
  for (RoutedGroup& group : groups) {
    std::erase_if(group.lanes, [&](SinkLane* lane) {
      if (lane->has_room_for(group.bytes)) return false;
      lane->count_dropped(group.records.size());
      return true;
    });
    for (SinkLane* lane : group.lanes) {
      if (lane->counts_against_budget()) budgeted_bytes += group.bytes;
    }
    offers += group.lanes.size();
    if (lanes_of.empty()) {
      if (!group.lanes.empty()) taken += group.records.size();
    } else if (!group.lanes.empty()) {
      taking_lanes |= group.lane_bit;
    }
  }
  if (!lanes_of.empty()) {
    taken = static_cast<std::uint64_t>(
        std::count_if(lanes_of.begin(), lanes_of.end(),
                      [&](Router::LaneSet set) { return (set & taking_lanes) != 0; }));
  }
  if (budgeted_bytes > 0) {
    const BlockedTime::Wait blocked(blocked_);
    co_await budget_.acquire(budgeted_bytes);
  }
  if (stopping_) {
    budget_.release(budgeted_bytes);
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  records_in_.inc(submitted);
  auto chunk = std::make_shared<PipelineChunk>();
  chunk->place = acknowledgements_.enqueue(std::move(receipt));
  chunk->records = taken;
  chunk->lanes_left = offers;
  if (offers == 0) {  // nothing to send: only earlier chunks hold the checkpoint
    acknowledgements_.complete(*chunk->place);
    co_return;
  }
  for (RoutedGroup& group : groups) {
    if (group.lanes.empty()) continue;
    for (std::size_t i = 0; i + 1 < group.lanes.size(); ++i) {
      group.lanes[i]->offer(group.records, group.bytes, chunk);
    }
    group.lanes.back()->offer(std::move(group.records), group.bytes, chunk);
  }
  if (flush_on_idle_) note_submit(co_await asio::this_coro::executor);
}

void Pipeline::note_submit(const asio::any_io_executor& input) {
  const std::uint64_t seen = submits_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (!idle_check_pending_.exchange(true)) check_idle_after(input, seen);
}

void Pipeline::check_idle_after(const asio::any_io_executor& input, std::uint64_t seen) {
  // Runs after the handlers already queued on the input's thread (the other readers' turns):
  // when none of them submitted anything, the inputs are idle and a partial batch waits for
  // nothing more.
  // The handler may outlive the pipeline on the input's loop: it only acts while it lives.
  asio::post(input, [this, alive = std::weak_ptr<void>(alive_), input, seen] {
    if (alive.expired()) return;
    const std::uint64_t now = submits_.load(std::memory_order_relaxed);
    if (now != seen) return check_idle_after(input, now);
    idle_check_pending_ = false;
    const std::shared_ptr<StageSet> stages = current();  // held while its lanes are used
    for (const auto& lane : stages->lanes) lane->flush_soon();
  });
}

void Pipeline::set_bounds(const PipelineConfig& config) {
  read_ahead_bytes_ = config.read_ahead_bytes;
  flush_on_idle_ = config.flush_on_idle;
  budget_.set_limit(config.memory_limit_bytes);
}

bool Pipeline::has_sink(std::string_view sink) const {
  const std::shared_ptr<StageSet> stages = current();
  return std::any_of(stages->lanes.begin(), stages->lanes.end(),
                     [&](const auto& lane) { return lane->name() == sink; });
}

bool Pipeline::redeliver(const std::string& sink, std::vector<LogRecord> records,
                         std::function<void(std::uint64_t refused)> done) {
  if (stopping_ || records.empty()) return !stopping_;
  const std::shared_ptr<StageSet> stages = current();  // keeps the lane while offering
  for (const auto& lane : stages->lanes) {
    if (lane->name() != sink) continue;
    const std::uint64_t bytes = memory_of(records);
    if (lane->counts_against_budget()) {
      try {
        if (!budget_.try_acquire(bytes)) return false;
      } catch (const boost::system::system_error&) {
        return false;  // stopping
      }
    } else if (!lane->has_room_for(bytes)) {
      return false;
    }
    // No place in the order (no checkpoint moves) and no records counted (delivered before).
    auto chunk = std::make_shared<PipelineChunk>();
    chunk->lanes_left = 1;
    chunk->redelivered = std::move(done);
    lane->offer(std::move(records), bytes, std::move(chunk));
    return true;
  }
  return false;
}

void Pipeline::chunk_done(const std::shared_ptr<PipelineChunk>& chunk) {
  if (chunk->lanes_left.fetch_sub(1) != 1) return;
  if (chunk->place) acknowledgements_.complete(*chunk->place);
  if (chunk->redelivered) chunk->redelivered(chunk->refused.load());
  // Records a sink refused are counted as rejected there, not as delivered.
  const std::uint64_t refused = chunk->refused.load();
  records_delivered_.inc(refused < chunk->records ? chunk->records - refused : 0);
}

std::size_t Pipeline::queued_records() const {
  std::size_t queued = 0;
  const std::shared_ptr<StageSet> stages = current();
  for (const auto& lane : stages->lanes) queued += lane->queued_records();
  return queued;
}

void Pipeline::start() {
  const std::shared_ptr<StageSet> stages = current();
  for (const auto& lane : stages->lanes) lane->start();
}

void Pipeline::stop(Clock::time_point deadline) {
  std::lock_guard lock(lanes_mutex_);  // after a reconfigure() under way: its lanes stop too
  stopping_ = true;
  asio::post(sink_executor_, [this, deadline] {
    budget_.close();
    std::lock_guard lock(lanes_mutex_);
    const std::shared_ptr<StageSet> stages = current();
    for (const auto& lane : stages->lanes) lane->stop(deadline);
    for (const auto& lane : retired_lanes_) lane->stop(deadline);
  });
}

bool Pipeline::stopped() const {
  std::lock_guard lock(lanes_mutex_);
  const auto stopped = [](const auto& lane) { return lane->stopped(); };
  const std::shared_ptr<StageSet> stages = current();
  return std::all_of(stages->lanes.begin(), stages->lanes.end(), stopped) &&
         std::all_of(retired_lanes_.begin(), retired_lanes_.end(), stopped);
}

}  // namespace lc
