#include "pipeline/pipeline.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/backoff.hpp"
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

}  // namespace

Pipeline::Pipeline(const PipelineConfig& config, asio::any_io_executor sink_executor, Sink& sink,
                   CheckpointTracker& tracker, MetricsRegistry& metrics, HealthRegistry& health)
    : config_(config),
      sink_executor_(sink_executor),
      sink_(sink),
      tracker_(tracker),
      health_(health),
      budget_(config.memory_limit_bytes),
      wake_timer_(sink_executor),
      retry_timer_(sink_executor),
      records_in_(metrics.counter("log_capturer_pipeline_records_in_total",
                                  "Records accepted into the pipeline.")),
      records_delivered_(metrics.counter("log_capturer_pipeline_records_delivered_total",
                                         "Records the sink acknowledged.")),
      batches_(metrics.counter("log_capturer_pipeline_batches_total",
                               "Batches the sink acknowledged.")),
      retries_(metrics.counter("log_capturer_pipeline_retries_total",
                               "Batch writes retried after a transient sink failure.")),
      rejected_(metrics.counter("log_capturer_pipeline_records_rejected_total",
                                "Records a sink rejected permanently.")) {
  metrics.gauge_callback("log_capturer_pipeline_memory_bytes",
                         "Bytes of records held by the pipeline (bounded by the limit).",
                         [this] { return static_cast<double>(budget_.in_use()); });
  metrics.gauge_callback("log_capturer_pipeline_memory_limit_bytes",
                         "The pipeline's memory bound.",
                         [this] { return static_cast<double>(budget_.limit()); });
  metrics.gauge_callback("log_capturer_pipeline_queued_records", "Records waiting for the sink.",
                         [this] { return static_cast<double>(queued_records()); });
  metrics.counter_callback(
      "log_capturer_pipeline_blocked_seconds_total",
      "Time inputs spent waiting for room under the memory bound (summed over inputs).",
      [this] { return static_cast<double>(blocked_ns_.load()) / 1e9; });
  health_.set("pipeline", true);
}

Pipeline::~Pipeline() { health_.remove("pipeline"); }

asio::awaitable<void> Pipeline::submit(std::vector<LogRecord> records) {
  if (records.empty()) co_return;
  if (stopping_) throw boost::system::system_error(asio::error::operation_aborted);
  const std::uint64_t bytes = memory_of(records);
  const auto wait_start = Clock::now();
  co_await budget_.acquire(bytes);
  blocked_ns_ += std::chrono::duration_cast<std::chrono::nanoseconds>(Clock::now() - wait_start).count();
  if (stopping_) {
    budget_.release(bytes);
    throw boost::system::system_error(asio::error::operation_aborted);
  }
  bool notify = false;
  {
    std::lock_guard lock(mutex_);
    const bool was_empty = queue_.empty();
    const bool was_ready = batch_ready_locked();
    for (LogRecord& record : records) queue_.push_back(std::move(record));
    queued_bytes_ += bytes;
    notify = was_empty || (!was_ready && batch_ready_locked());
  }
  records_in_.inc(records.size());
  if (notify) wake();
}

void Pipeline::wake() {
  asio::post(sink_executor_, [this] { wake_timer_.cancel(); });
}

bool Pipeline::batch_ready_locked() const {
  return queue_.size() >= config_.batch_max_records || queued_bytes_ >= config_.batch_max_bytes;
}

std::size_t Pipeline::queued_records() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

void Pipeline::start() {
  asio::co_spawn(sink_executor_, deliver_loop(), [](std::exception_ptr error) {
    if (!error) return;
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      spdlog::critical("pipeline: delivery loop failed: {}", e.what());
    }
  });
}

void Pipeline::stop(Clock::time_point deadline) {
  asio::post(sink_executor_, [this, deadline] {
    stop_deadline_ = deadline;
    stopping_ = true;
    budget_.close();
    wake_timer_.cancel();
    retry_timer_.cancel();
  });
}

asio::awaitable<void> Pipeline::wait_for_batch() {
  // First wait for any record, then for a full batch or the flush interval.
  while (!stopping_ && queued_records() == 0) {
    wake_timer_.expires_at(Clock::time_point::max());
    boost::system::error_code ignored;
    co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  const auto flush_at = Clock::now() + config_.flush_interval;
  while (!stopping_ && Clock::now() < flush_at) {
    {
      std::lock_guard lock(mutex_);
      if (batch_ready_locked()) break;
    }
    wake_timer_.expires_at(flush_at);
    boost::system::error_code ignored;
    co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

std::vector<LogRecord> Pipeline::take_batch(std::uint64_t& bytes) {
  std::vector<LogRecord> batch;
  bytes = 0;
  std::lock_guard lock(mutex_);
  batch.reserve(std::min<std::size_t>(queue_.size(), config_.batch_max_records));
  while (!queue_.empty() && batch.size() < config_.batch_max_records &&
         (batch.empty() || bytes + queue_.front().memory_bytes() <= config_.batch_max_bytes)) {
    bytes += queue_.front().memory_bytes();
    batch.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
  queued_bytes_ -= bytes;
  return batch;
}

asio::awaitable<void> Pipeline::deliver_loop() {
  for (;;) {
    co_await wait_for_batch();
    if (queued_records() == 0) {
      if (stopping_) break;
      continue;
    }
    std::uint64_t bytes = 0;
    std::vector<LogRecord> batch = take_batch(bytes);
    co_await deliver(std::move(batch), bytes);
    if (stopping_ && Clock::now() >= stop_deadline_) break;
  }
  const std::size_t left = queued_records();
  if (left > 0) {
    spdlog::warn("pipeline: shutdown deadline passed with {} records undelivered; they were not "
                 "checkpointed and will be read again after a restart", left);
  }
  stopped_ = true;
}

asio::awaitable<void> Pipeline::deliver(std::vector<LogRecord> batch, std::uint64_t bytes) {
  Backoff backoff(config_.retry_initial, config_.retry_max);
  bool rejected = false;
  for (;;) {
    SinkWriteOutcome outcome = co_await sink_.write(batch);
    if (outcome.kind != SinkWriteOutcome::Kind::kRetry) {
      if (backoff.attempts() > 0) {
        spdlog::info("pipeline: sink {} accepts writes again", sink_.name());
        health_.set("sink." + sink_.name(), true);
      }
      if (outcome.kind == SinkWriteOutcome::Kind::kRejected) {
        // TODO(dead letters): a permanent rejection goes to the dead-letter store (issue 3).
        spdlog::error("pipeline: sink {} rejected {} records: {}", sink_.name(), batch.size(),
                      outcome.reason);
        rejected_.inc(batch.size());
        rejected = true;
      }
      break;
    }
    retries_.inc();
    health_.set("sink." + sink_.name(), false, outcome.reason);
    if (stopping_ && Clock::now() >= stop_deadline_) co_return;  // not acknowledged
    const auto delay = backoff.next();
    if (backoff.attempts() == 1 || backoff.attempts() % 10 == 0) {
      spdlog::warn("pipeline: sink {} failed ({}); retry {} in {} ms", sink_.name(),
                   outcome.reason, backoff.attempts(), delay.count());
    }
    retry_timer_.expires_after(stopping_ ? std::min<std::chrono::nanoseconds>(
                                               delay, stop_deadline_ - Clock::now())
                                         : std::chrono::nanoseconds(delay));
    boost::system::error_code ignored;
    co_await retry_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  // Rejected records are acknowledged too: reading them again would only fail again.
  tracker_.acknowledge(batch);
  if (!rejected) {
    records_delivered_.inc(batch.size());
    batches_.inc();
  }
  budget_.release(bytes);
}

}  // namespace lc
