#include "pipeline/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/post.hpp>
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

std::vector<SinkLane::Options> one_sink(Sink& sink) {
  std::vector<SinkLane::Options> sinks;
  sinks.push_back(SinkLane::Options{sink, {}, nullptr});
  return sinks;
}

}  // namespace

Pipeline::Pipeline(const PipelineConfig& config, asio::any_io_executor sink_executor, Sink& sink,
                   CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health)
    : Pipeline(config, sink_executor, one_sink(sink), tracker, metrics, health) {}

Pipeline::Pipeline(const PipelineConfig& config, asio::any_io_executor sink_executor,
                   std::vector<SinkLane::Options> sinks, CheckpointTracker& tracker,
                   MetricsRegistry& metrics, HealthRegistry& health, DeadLetterHook dead_letter)
    : config_(config),
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
                          "Records every sink has acknowledged (their checkpoints may advance).")),
      totals_{metrics.counter("log_capturer_pipeline_batches_total",
                              "Batches the sinks acknowledged (all sinks summed)."),
              metrics.counter("log_capturer_pipeline_retries_total",
                              "Batch writes retried after a transient sink failure."),
              metrics.counter("log_capturer_pipeline_records_rejected_total",
                              "Records a sink rejected permanently (then dead-lettered).")} {
  SinkLaneHooks hooks{[this](const std::shared_ptr<PipelineChunk>& chunk) { chunk_done(chunk); },
                      std::move(dead_letter)};
  for (SinkLane::Options& sink : sinks) {
    lanes_.push_back(
        std::make_unique<SinkLane>(config_, sink, sink_executor, budget_, hooks, metrics, health));
    lanes_.back()->set_totals(&totals_);
  }
  metrics.gauge_callback("log_capturer_pipeline_memory_bytes",
                         "Bytes of records held by the pipeline (bounded by the limit).",
                         [this] { return static_cast<double>(budget_.in_use()); });
  metrics.gauge_callback("log_capturer_pipeline_memory_limit_bytes", "The pipeline's memory bound.",
                         [this] { return static_cast<double>(budget_.limit()); });
  metrics.gauge_callback("log_capturer_pipeline_queued_records",
                         "Records waiting for a sink (each sink's copy counted).",
                         [this] { return static_cast<double>(queued_records()); });
  metrics.counter_callback("log_capturer_pipeline_blocked_seconds_total",
                           "Time inputs spent waiting for room under the memory bound (summed over "
                           "inputs, waits still going on included).",
                           [this] { return blocked_.seconds(); });
  health_.set("pipeline", true);
}

Pipeline::~Pipeline() { health_.remove("pipeline"); }

asio::awaitable<void> Pipeline::wait_for_read_room() {
  const std::uint64_t threshold = std::min(config_.read_ahead_bytes, budget_.limit());
  if (budget_.in_use() < threshold) co_return;
  const BlockedTime::Wait blocked(blocked_);
  // Several readers may wake together: each looks again on its own thread before it reads.
  while (budget_.in_use() >= threshold) {
    // What the sinks hold is all they get until they deliver some: no fuller batch will come.
    for (const auto& lane : lanes_) lane->flush_soon();
    co_await budget_.wait_below(threshold);
  }
}

asio::awaitable<void> Pipeline::submit(std::vector<LogRecord> records) {
  if (records.empty()) co_return;
  if (stopping_) throw boost::system::system_error(asio::error::operation_aborted);
  const std::uint64_t bytes = memory_of(records);
  // Which sinks take these records: all that block, and those that drop while they have room.
  std::vector<SinkLane*> takers;
  std::uint64_t budgeted_copies = 0;
  for (const auto& lane : lanes_) {
    if (lane->has_room_for(bytes)) {
      takers.push_back(lane.get());
      budgeted_copies += lane->counts_against_budget();
    } else {
      lane->count_dropped(records.size());
    }
  }
  if (budgeted_copies > 0) {
    const BlockedTime::Wait blocked(blocked_);
    co_await budget_.acquire(bytes * budgeted_copies);
  }
  if (stopping_) {
    budget_.release(bytes * budgeted_copies);
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  records_in_.inc(records.size());
  auto chunk = std::make_shared<PipelineChunk>();
  chunk->place = acknowledgements_.enqueue(DeliveryReceipt::of(records));
  chunk->records = records.size();
  chunk->lanes_left = takers.size();
  if (takers.empty()) {  // every sink dropped them: only earlier chunks hold the checkpoint
    acknowledgements_.complete(*chunk->place);
    co_return;
  }
  for (std::size_t i = 0; i + 1 < takers.size(); ++i) takers[i]->offer(records, bytes, chunk);
  takers.back()->offer(std::move(records), bytes, chunk);
}

bool Pipeline::redeliver(const std::string& sink, std::vector<LogRecord> records) {
  if (stopping_ || records.empty()) return !stopping_;
  for (const auto& lane : lanes_) {
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
    lane->offer(std::move(records), bytes, std::move(chunk));
    return true;
  }
  return false;
}

void Pipeline::chunk_done(const std::shared_ptr<PipelineChunk>& chunk) {
  if (chunk->lanes_left.fetch_sub(1) != 1) return;
  if (chunk->place) acknowledgements_.complete(*chunk->place);
  // Records a sink refused are counted as rejected there, not as delivered.
  const std::uint64_t refused = chunk->refused.load();
  records_delivered_.inc(refused < chunk->records ? chunk->records - refused : 0);
}

std::size_t Pipeline::queued_records() const {
  std::size_t queued = 0;
  for (const auto& lane : lanes_) queued += lane->queued_records();
  return queued;
}

void Pipeline::start() {
  for (const auto& lane : lanes_) lane->start();
}

void Pipeline::stop(Clock::time_point deadline) {
  stopping_ = true;
  asio::post(sink_executor_, [this, deadline] {
    budget_.close();
    for (const auto& lane : lanes_) lane->stop(deadline);
  });
}

bool Pipeline::stopped() const {
  for (const auto& lane : lanes_) {
    if (!lane->stopped()) return false;
  }
  return true;
}

}  // namespace lc
