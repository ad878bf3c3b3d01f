#include "pipeline/sink_lane.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <iterator>
#include <utility>

#include "buffer/disk_buffer/disk_buffer.hpp"
#include "core/backoff.hpp"
#include "core/health_registry.hpp"
#include "core/timestamp.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/memory_budget.hpp"
#include "sinks/sink.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

void log_loop_failure(const std::string& sink, std::exception_ptr error) {
  if (!error) return;
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    spdlog::critical("pipeline: sink {}: delivery loop failed: {}", sink, e.what());
  }
}

// The places of a batch of `size` records but `excluded`.
std::vector<std::uint32_t> places_but(std::size_t size, std::span<const std::uint32_t> excluded) {
  std::vector<bool> skip(size, false);
  for (const std::uint32_t place : excluded) {
    if (place < size) skip[place] = true;
  }
  std::vector<std::uint32_t> places;
  for (std::uint32_t place = 0; place < size; ++place) {
    if (!skip[place]) places.push_back(place);
  }
  return places;
}

}  // namespace

SinkLane::SinkLane(Options options, asio::any_io_executor executor, MemoryBudget& budget,
                   SinkLaneHooks hooks, MetricsRegistry& metrics, HealthRegistry& health)
    : name_(options.sink.name()),
      sink_(&options.sink),
      delivery_(options.delivery),
      blocks_when_full_(options.delivery.when_full == SinkDeliveryConfig::WhenFull::kBlock),
      max_queued_bytes_(options.delivery.max_queued_bytes),
      disk_buffer_(options.disk_buffer),
      registry_(metrics),
      executor_(executor),
      budget_(budget),
      hooks_(std::move(hooks)),
      health_(health),
      health_name_("sink." + options.sink.name()),
      wake_timer_(executor),
      pause_timer_(executor),
      ingest_pause_timer_(executor),
      send_wake_timer_(executor),
      metrics_(metrics),
      retries_(metrics_.counter("log_capturer_sink_retries_total",
                                "Batch writes to a sink retried after a transient failure.",
                                {{"sink", options.sink.name()}})),
      dead_lettered_(metrics_.counter(
          "log_capturer_sink_records_dead_lettered_total",
          "Records a sink refused for good: stored as dead letters, or dropped where they are off.",
          {{"sink", options.sink.name()}})),
      dropped_(metrics_.counter(
          "log_capturer_sink_records_dropped_total",
          "Records not sent to a sink with when_full: drop_newest because its queue was full.",
          {{"sink", options.sink.name()}})),
      in_flight_(metrics_.gauge("log_capturer_sink_in_flight_records",
                                "Records of the batch being written to the sink now.",
                                {{"sink", options.sink.name()}})),
      last_delivery_(
          metrics_.gauge("log_capturer_sink_last_delivery_timestamp_seconds",
                         "Unix time of the sink's last acknowledged batch (0: none yet).",
                         {{"sink", options.sink.name()}})),
      held_gauge_(metrics_.gauge("log_capturer_sink_held",
                                 "1 while the sink holds its records (misconfiguration or "
                                 "authorization refused): retried, never dead-lettered.",
                                 {{"sink", options.sink.name()}})),
      delivery_delay_(metrics_, options.sink.name()) {
  for (std::size_t cause = 0; cause < kSinkHoldCauseCount; ++cause) {
    holds_[cause] = &metrics_.counter(
        "log_capturer_sink_holds_total", "Times the sink started holding its records, by reason.",
        {{"sink", options.sink.name()},
         {"reason", std::string(to_string(static_cast<SinkHoldCause>(cause)))}});
  }
  metrics_.gauge_callback(
      "log_capturer_sink_queued_records", "Records waiting in memory for the sink.",
      [this] { return static_cast<double>(queued_records()); }, {{"sink", options.sink.name()}});
  health_.set(health_name_, true);
}

SinkLane::~SinkLane() {
  metrics_.release();  // first: its queue-depth callback reads members about to go
  // A removed sink is not reported any more (abandon() already took it out: a sink of the
  // same name added by a later reload reports under the same name).
  if (!abandoned_) health_.remove(health_name_);
}

const std::string& SinkLane::name() const { return name_; }

bool SinkLane::counts_against_budget() const { return blocks_when_full_; }

bool SinkLane::has_room_for(std::uint64_t bytes) const {
  if (counts_against_budget()) return true;
  return unbudgeted_bytes_.load() + bytes <= max_queued_bytes_ || unbudgeted_bytes_.load() == 0;
}

void SinkLane::count_dropped(std::size_t records) { dropped_.inc(records); }

void SinkLane::offer(std::vector<LogRecord> records, std::uint64_t bytes,
                     std::shared_ptr<PipelineChunk> chunk) {
  if (records.empty()) {  // nothing to send: the lane is done with the chunk at once
    asio::post(executor_, [done = hooks_.done, chunk = std::move(chunk)] { done(chunk); });
    return;
  }
  // The queue holds the vector as it came, and the memory bound counts its records, not its
  // room: one grown by push_back can have twice the room it uses (a record's fixed part each),
  // so a roomy one is copied into one of its size first (one move a record).
  if (records.capacity() - records.size() > records.size() / 8) records.shrink_to_fit();
  bool notify = false;
  bool abandoned = false;
  {
    std::lock_guard lock(mutex_);
    abandoned = abandoned_;
    if (!abandoned) {
      if (!counts_against_budget()) unbudgeted_bytes_ += bytes;
      const bool was_empty = queued_records_ == 0;
      const bool was_ready =
          queued_records_ >= batching().max_records || queued_bytes_ >= batching().max_bytes;
      queued_records_ += records.size();
      queued_bytes_ += bytes;
      segments_.push_back(Segment{std::move(chunk), std::move(records), 0, bytes});
      const bool ready =
          queued_records_ >= batching().max_records || queued_bytes_ >= batching().max_bytes;
      notify = was_empty || (!was_ready && ready);
    }
  }
  if (abandoned) {  // a submit that began before the reload removed the sink
    drop_abandoned(records.size(), bytes);
    // Not through the lane: it may be destroyed before the handler runs.
    if (chunk->place) {
      asio::post(executor_, [done = hooks_.done, chunk = std::move(chunk)] { done(chunk); });
    }
    return;
  }
  if (notify) wake();
}

void SinkLane::flush_soon() {
  if (!flush_requested_.exchange(true)) wake();
}

void SinkLane::wake() {
  // A removed lane may be destroyed (on this executor) before the handler runs.
  asio::post(executor_, [this, alive = std::weak_ptr<char>(alive_)] {
    if (!alive.expired()) wake_timer_.cancel();
  });
}

std::size_t SinkLane::queued_records() const {
  std::lock_guard lock(mutex_);
  return queued_records_;
}

void SinkLane::on_loop_end(std::exception_ptr error) {
  log_loop_failure(name(), error);
  if (--loops_running_ > 0) return;
  stopped_ = true;
  if (abandoned()) released_(*sink_);
}

void SinkLane::start() {
  const auto on_end = [this](std::exception_ptr error) { on_loop_end(error); };
  if (disk_buffer_ != nullptr) {
    loops_running_ = 2;
    asio::co_spawn(executor_, disk_ingest_loop(), on_end);
    asio::co_spawn(executor_, disk_send_loop(), on_end);
  } else {
    loops_running_ = 1;
    asio::co_spawn(executor_, memory_loop(), on_end);
  }
}

void SinkLane::stop(Clock::time_point deadline) {
  // A removed lane stopping at once keeps its deadline when the pipeline stops later.
  stop_deadline_ = stopping_ ? std::min(stop_deadline_, deadline) : deadline;
  stopping_ = true;
  wake_timer_.cancel();
  pause_timer_.cancel();
  ingest_pause_timer_.cancel();
  send_wake_timer_.cancel();
  sink_->stop_waiting_by(stop_deadline_);
}

void SinkLane::replace_sink(Options next, Released released) {
  released_ = std::move(released);
  // One replaced before it was ever used goes at once (unless it is the running one, whose
  // delivery keys alone changed, or the next one again).
  if (pending_sink_ && &pending_sink_->sink != sink_ && &pending_sink_->sink != &next.sink) {
    released_(pending_sink_->sink);
  }
  pending_sink_.emplace(next);
  pause_timer_.cancel();                // a retry waiting on the old sink goes to the new one now
  if (!writing_) adopt_pending_sink();  // else once the write in flight has ended
}

void SinkLane::report_health(bool healthy, const std::string& reason) {
  if (abandoned()) return;  // a removed sink is not reported any more
  health_.set(health_name_, healthy, reason);
}

bool SinkLane::adopt_pending_sink() {
  if (!pending_sink_) return false;
  Sink& previous = *sink_;
  sink_ = &pending_sink_->sink;
  {
    std::lock_guard lock(mutex_);  // offer() reads the batch keys
    delivery_.batch = pending_sink_->delivery.batch;
  }
  delivery_.retry = pending_sink_->delivery.retry;
  delivery_.dead_letters = pending_sink_->delivery.dead_letters;
  pending_sink_.reset();
  wake_timer_.cancel();                  // the batch keys may say a batch is due
  if (&previous == sink_) return false;  // only the delivery keys changed
  if (released_) released_(previous);
  return true;
}

bool SinkLane::abandoned() const {
  std::lock_guard lock(mutex_);
  return abandoned_;
}

Counter& SinkLane::removed_dropped() {
  return registry_.counter(
      "log_capturer_sink_removed_records_dropped_total",
      "Records queued for a sink when a reload removed it: not sent to it (their share of the "
      "checkpoints released, so they are not read again for the other sinks).",
      {{"sink", name_}});
}

void SinkLane::abandon(Released released) {
  released_ = std::move(released);
  if (pending_sink_ && &pending_sink_->sink != sink_) released_(pending_sink_->sink);  // unused
  pending_sink_.reset();
  std::deque<Segment> dropped;
  {
    std::lock_guard lock(mutex_);
    abandoned_ = true;
    dropped.swap(segments_);
    queued_records_ = 0;
    queued_bytes_ = 0;
  }
  std::uint64_t records = 0;
  for (Segment& segment : dropped) {
    records += segment.records.size() - segment.taken;
    drop_abandoned(segment.records.size() - segment.taken, segment.bytes_left);
    if (!counts_against_budget()) unbudgeted_bytes_ -= segment.bytes_left;
    release_abandoned(segment.chunk);
  }
  health_.remove(health_name_);
  spdlog::info("pipeline: sink {} removed by a reload: {} queued records dropped for it{}", name_,
               records, writing_ ? " (its write in flight ends first)" : "");
  if (stopped_) return released_(*sink_);
  stop(Clock::now());  // on_loop_end() releases the sink once the loops have ended
}

void SinkLane::release_abandoned(const std::shared_ptr<PipelineChunk>& chunk) {
  // A redelivery of dead letters is not done: dropped uncalled, its entries stay stored.
  if (chunk->place) hooks_.done(chunk);
}

void SinkLane::finish_abandoned(Batch& batch) {
  drop_abandoned(batch.records.size(), 0);
  if (counts_against_budget()) {
    budget_.release(batch.bytes);
  } else {
    unbudgeted_bytes_ -= batch.bytes;
  }
  for (const auto& chunk : batch.chunks) release_abandoned(chunk);
}

void SinkLane::drop_abandoned(std::uint64_t records, std::uint64_t bytes) {
  removed_dropped().inc(records);
  if (counts_against_budget()) budget_.release(bytes);
}

asio::awaitable<void> SinkLane::pause(asio::steady_timer& timer, std::chrono::nanoseconds delay) {
  if (stopping_) delay = std::min<std::chrono::nanoseconds>(delay, stop_deadline_ - Clock::now());
  timer.expires_after(delay);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> SinkLane::wait_for_batch() {
  // First wait for any record, then for a full batch or the flush interval.
  while (!stopping_ && queued_records() == 0) {
    wake_timer_.expires_at(Clock::time_point::max());
    boost::system::error_code ignored;
    co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  const auto flush_at = Clock::now() + batching().flush_interval;
  while (!stopping_ && Clock::now() < flush_at) {
    {
      std::lock_guard lock(mutex_);
      if (queued_records_ >= batching().max_records || queued_bytes_ >= batching().max_bytes ||
          flush_requested_.load()) {
        break;
      }
    }
    wake_timer_.expires_at(flush_at);
    boost::system::error_code ignored;
    co_await wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
}

SinkLane::Batch SinkLane::take_batch() {
  Batch batch;
  std::lock_guard lock(mutex_);
  while (!segments_.empty() && batch.records.size() < batching().max_records) {
    if (!take_from_front(batch)) break;  // the batch is full
  }
  queued_records_ -= batch.records.size();
  queued_bytes_ -= batch.bytes;
  flush_requested_ = false;
  return batch;
}

bool SinkLane::take_from_front(Batch& batch) {
  Segment& segment = segments_.front();
  const std::size_t left = segment.records.size() - segment.taken;
  // A record bigger than a batch's bytes goes alone.
  const bool whole_fits = batch.records.size() + left <= batching().max_records &&
                          (batch.bytes + segment.bytes_left <= batching().max_bytes ||
                           (batch.records.empty() && left == 1));
  std::size_t moved = 0;
  if (whole_fits) {
    if (batch.records.empty() && segment.taken == 0) {
      batch.records = std::move(segment.records);  // the common case: not a record moved
    } else {
      batch.records.reserve(
          std::min<std::size_t>(batch.records.size() + queued_records_, batching().max_records));
      std::move(segment.records.begin() + static_cast<std::ptrdiff_t>(segment.taken),
                segment.records.end(), std::back_inserter(batch.records));
    }
    moved = left;
    batch.bytes += segment.bytes_left;
    segment.bytes_left = 0;
  } else {
    while (segment.taken + moved < segment.records.size() &&
           batch.records.size() < batching().max_records) {
      LogRecord& record = segment.records[segment.taken + moved];
      const std::uint64_t bytes = record.memory_bytes();
      if (!batch.records.empty() && batch.bytes + bytes > batching().max_bytes) break;
      batch.records.push_back(std::move(record));
      batch.bytes += bytes;
      segment.bytes_left -= bytes;
      ++moved;
    }
  }
  if (moved == 0) return false;
  if (batch.touched.empty() || batch.touched.back().first != segment.chunk) {
    batch.touched.emplace_back(segment.chunk, 0);
  }
  batch.touched.back().second += moved;
  segment.taken += moved;
  if (!whole_fits && segment.taken < segment.records.size()) return false;
  batch.chunks.push_back(std::move(segment.chunk));
  segments_.pop_front();
  return true;
}

bool SinkLane::ends_whole_groups(const Batch& batch) {
  // The batch's last segment was taken whole, and every chunk it finished is done with in
  // every lane: nothing delivered so far waits for a record not yet delivered.
  if (batch.chunks.empty() || batch.touched.empty() ||
      batch.touched.back().first != batch.chunks.back()) {
    return false;
  }
  return std::all_of(batch.chunks.begin(), batch.chunks.end(),
                     [](const auto& chunk) { return chunk->lanes_left.load() == 0; });
}

void SinkLane::finish(Batch& batch) {
  if (counts_against_budget()) {
    budget_.release(batch.bytes);
  } else {
    unbudgeted_bytes_ -= batch.bytes;
  }
  for (const auto& chunk : batch.chunks) hooks_.done(chunk);
}

asio::awaitable<std::optional<SinkLane::Batch>> SinkLane::next_batch() {
  for (;;) {
    co_await wait_for_batch();
    if (queued_records() > 0) co_return take_batch();
    if (stopping_) co_return std::nullopt;
  }
}

asio::awaitable<void> SinkLane::memory_loop() {
  while (std::optional<Batch> next = co_await next_batch()) {
    Batch& batch = *next;
    const Settled settled = co_await write_until_settled(batch.records);
    if (settled.kind == Settled::Kind::kNot) {   // the stop deadline passed
      if (abandoned()) finish_abandoned(batch);  // removed: released, not kept for a restart
      break;
    }
    if (settled.kind == Settled::Kind::kDeadLettered) {
      count_refused(batch, settled);
    } else if (totals_ != nullptr) {
      totals_->batches.inc();
    }
    finish(batch);
    if (ends_whole_groups(batch)) sink_->at_group_boundary();
    if (deadline_passed()) break;
    // A sink that completes without suspending (the file store) would hold the thread for a
    // whole catch-up: the checkpoint saver and the other lanes run between two batches.
    co_await asio::post(executor_, asio::use_awaitable);
  }
  const std::size_t left = queued_records();
  if (left > 0) {
    spdlog::warn(
        "pipeline: sink {}: shutdown deadline passed with {} records undelivered; they were not "
        "checkpointed and will be read again after a restart",
        name(), left);
  }
}

asio::awaitable<SinkLane::Settled> SinkLane::write_until_settled(
    std::span<const LogRecord> records) {
  Backoff backoff(retrying().initial, retrying().max);
  // What the sink reported delivered while a write still failed (a split's accepted half,
  // acknowledged messages), kept across retries and a reload's new instance: at the backend, so
  // never a dead letter.
  std::vector<bool> acknowledged(records.size(), false);
  // Failures that judge the records, which alone count toward retry.limit: a hold or an answer
  // about no record (however long it lasted) must not leave one transient failure to end it.
  unsigned judged_failures = 0;
  for (;;) {
    in_flight_.set(static_cast<double>(records.size()));
    writing_ = true;
    SinkWriteOutcome outcome = co_await sink_->write(records);
    writing_ = false;
    in_flight_.set(0);
    if (!outcome.ok()) acknowledge(records, outcome.delivered_records, acknowledged);
    // A reload replaced the sink during the write: a failure was the old instance's, and the
    // batch goes to the new one at once, its retries counted afresh.
    if (adopt_pending_sink() && !outcome.ok() &&
        outcome.kind != SinkWriteOutcome::Kind::kRejected) {
      if (held_) leave_hold();
      backoff.reset();
      judged_failures = 0;
      continue;
    }
    if (held_ && outcome.kind != SinkWriteOutcome::Kind::kHold) leave_hold();
    if ((outcome.ok() || outcome.kind == SinkWriteOutcome::Kind::kRejected) &&
        backoff.attempts() > 0) {
      spdlog::info("pipeline: sink {} accepts writes again", name());
      report_health(true, {});
    }
    if (outcome.ok()) {
      acknowledge(records, places_but(records.size(), {}), acknowledged);
      co_return Settled{};
    }
    if (outcome.kind == SinkWriteOutcome::Kind::kRejected) {
      const std::size_t refused =
          outcome.refused_records.empty() ? records.size() : outcome.refused_records.size();
      spdlog::error("pipeline: sink {} refused {} of {} records for good: {}", name(), refused,
                    records.size(), outcome.reason);
      if (totals_ != nullptr) totals_->rejected.inc(refused);
      const std::string kind = "rejected";
      Settled settled = co_await dead_letter(records, outcome.refused_records, acknowledged, kind,
                                             outcome.reason);
      co_return settled;
    }
    retries_.inc();
    if (totals_ != nullptr) totals_->retries.inc();
    if (outcome.kind == SinkWriteOutcome::Kind::kHold && !held_) enter_hold(outcome);
    report_health(false, held_ ? "held: " + outcome.reason : outcome.reason);
    // A misconfiguration is not a bad record: only transient failures exhaust the limit.
    if (!outcome.not_the_records) ++judged_failures;
    if (retrying().limit > 0 && !outcome.not_the_records && judged_failures >= retrying().limit) {
      Settled settled = co_await give_up(records, outcome, acknowledged, backoff.attempts() + 1);
      co_return settled;
    }
    if (deadline_passed()) co_return Settled{Settled::Kind::kNot, {}};
    const auto delay =
        std::max(backoff.next(), std::min(outcome.retry_after, SinkWriteOutcome::kMaxRetryAfter));
    if (!held_ && (backoff.attempts() == 1 || backoff.attempts() % 10 == 0)) {
      spdlog::warn("pipeline: sink {} failed ({}); retry {} in {} ms{}", name(), outcome.reason,
                   backoff.attempts(), delay.count(),
                   outcome.retry_after.count() > 0 ? " (as its Retry-After asks)" : "");
    }
    co_await pause(pause_timer_, delay);
    if (deadline_passed()) co_return Settled{Settled::Kind::kNot, {}};
    if (disk_buffer_ != nullptr && stopping_ && ingest_finished_) {
      co_return Settled{Settled::Kind::kNot, {}};  // safe on disk: sent after the restart
    }
  }
}

asio::awaitable<SinkLane::Settled> SinkLane::give_up(std::span<const LogRecord> records,
                                                     const SinkWriteOutcome& outcome,
                                                     std::vector<bool>& acknowledged,
                                                     unsigned attempts) {
  const auto undelivered = std::count(acknowledged.begin(), acknowledged.end(), false);
  spdlog::error("pipeline: sink {}: giving up on {} of {} records after {} attempts: {}", name(),
                undelivered, records.size(), attempts, outcome.reason);
  const std::string kind = "retries_exhausted";
  Settled settled = co_await dead_letter(records, {}, acknowledged, kind, outcome.reason);
  co_return settled;
}

asio::awaitable<SinkLane::Settled> SinkLane::dead_letter(std::span<const LogRecord> records,
                                                         std::span<const std::uint32_t> places,
                                                         std::vector<bool>& acknowledged,
                                                         const std::string& kind,
                                                         const std::string& reason) {
  // Only records the sink has not delivered are dead letters: reprocessing a delivered one
  // from the dead letters would send it twice. The others are delivered.
  std::vector<bool> named(records.size(), places.empty());
  for (const std::uint32_t place : places) {
    if (place < records.size()) named[place] = true;
  }
  std::vector<std::uint32_t> letters;
  for (std::uint32_t place = 0; place < records.size(); ++place) {
    if (named[place] && !acknowledged[place]) letters.push_back(place);
  }
  acknowledge(records, places_but(records.size(), letters), acknowledged);
  if (letters.empty()) {  // the sink had them all after all
    report_health(true, {});
    co_return Settled{};
  }
  std::vector<LogRecord> some;
  if (letters.size() < records.size()) {
    for (const std::uint32_t place : letters) some.push_back(records[place]);
  }
  const std::span<const LogRecord> stored =
      some.empty() ? records : std::span<const LogRecord>(some);
  if (!co_await store_dead_letters(stored, kind, reason, pause_timer_)) {
    co_return Settled{Settled::Kind::kNot, {}};
  }
  if (some.empty()) letters.clear();  // the whole batch
  co_return Settled{Settled::Kind::kDeadLettered, std::move(letters)};
}

void SinkLane::acknowledge(std::span<const LogRecord> records,
                           std::span<const std::uint32_t> places, std::vector<bool>& acknowledged) {
  std::vector<bool> now_acknowledged(records.size(), false);
  bool any = false;
  for (const std::uint32_t place : places) {
    if (place >= records.size() || acknowledged[place]) continue;
    acknowledged[place] = now_acknowledged[place] = true;
    any = true;
  }
  if (!any) return;
  const TimestampNs now = now_ns();
  last_delivery_.set(static_cast<double>(now) / 1e9);
  delivery_delay_.observe_where(records, now_acknowledged, now);
}

void SinkLane::enter_hold(const SinkWriteOutcome& outcome) {
  held_ = true;
  held_gauge_.set(1);
  holds_[static_cast<std::size_t>(outcome.hold_cause)]->inc();
  spdlog::error(
      "pipeline: sink {} holds its records ({}): {}. None goes to the dead letters and the "
      "checkpoints wait; the batch is retried until the sink takes it",
      name(), to_string(outcome.hold_cause), outcome.reason);
}

void SinkLane::leave_hold() {
  held_ = false;
  held_gauge_.set(0);
  spdlog::info("pipeline: sink {} no longer holds its records", name());
}

void SinkLane::count_refused(const Batch& batch, const Settled& settled) {
  if (settled.refused_records.empty()) {
    for (const auto& [chunk, records] : batch.touched) chunk->refused += records;
    return;
  }
  // The batch holds the touched chunks' records in that order: find each refused one's chunk.
  std::uint64_t chunk_end = 0;
  auto refused = settled.refused_records.begin();
  for (const auto& [chunk, records] : batch.touched) {
    chunk_end += records;
    std::uint64_t in_chunk = 0;
    while (refused != settled.refused_records.end() && *refused < chunk_end) {
      ++in_chunk;
      ++refused;
    }
    chunk->refused += in_chunk;
  }
}

asio::awaitable<bool> SinkLane::store_dead_letters(std::span<const LogRecord> records,
                                                   const std::string& kind,
                                                   const std::string& reason,
                                                   asio::steady_timer& pause_timer) {
  if (!hooks_.dead_letter || !delivery_.dead_letters) {  // dropped, counted
    dead_lettered_.inc(records.size());
    co_return true;
  }
  Backoff backoff(retrying().initial, retrying().max);
  while (!hooks_.dead_letter(name(), kind, reason, records)) {
    // Not stored: keep the records (they are not acknowledged) and try again.
    if (deadline_passed()) co_return false;
    co_await pause(pause_timer, backoff.next());
  }
  dead_lettered_.inc(records.size());
  co_return true;
}

// ---- With a disk buffer: memory -> disk (then done), disk -> sink ----

asio::awaitable<void> SinkLane::disk_ingest_loop() {
  DiskBuffer& disk = *disk_buffer_;
  while (std::optional<Batch> next = co_await next_batch()) {
    Batch& batch = *next;
    Backoff backoff(retrying().initial, retrying().max);
    bool stored = false;
    while (!stored) {
      const DiskBufferAppendResult result = disk.append(batch.records);
      if (result.ok()) {
        stored = true;
        break;
      }
      if (result.status == DiskBufferAppendResult::Status::kTooLarge) {
        // One record at a time; one that can never fit is a dead letter.
        stored = true;
        for (std::size_t i = 0; i < batch.records.size() && stored; ++i) {
          const std::span<const LogRecord> one(&batch.records[i], 1);
          const DiskBufferAppendResult single = disk.append(one);
          if (single.status == DiskBufferAppendResult::Status::kTooLarge) {
            stored = co_await store_dead_letters(
                one, "too_large", "record too large for the disk buffer", ingest_pause_timer_);
          } else if (!single.ok()) {
            stored = false;  // full or failing: the batch is retried from here below
            batch.records.erase(batch.records.begin(),
                                batch.records.begin() + static_cast<std::ptrdiff_t>(i));
          }
        }
        if (stored) break;
      }
      if (deadline_passed()) break;
      co_await pause(ingest_pause_timer_, backoff.next());
    }
    if (!stored) {  // shutdown deadline: not acknowledged, read again after a restart
      if (abandoned()) finish_abandoned(batch);  // removed: released instead
      break;
    }
    send_wake_timer_.cancel();
    finish(batch);
  }
  ingest_finished_ = true;
  send_wake_timer_.cancel();
}

asio::awaitable<void> SinkLane::disk_send_loop() {
  DiskBuffer& disk = *disk_buffer_;
  Backoff read_backoff(retrying().initial, retrying().max);
  for (;;) {
    DiskBufferBatch batch = disk.read_next(batching().max_records, batching().max_bytes);
    if (batch.records.empty()) {
      if (batch.error) {
        spdlog::error("pipeline: sink {}: disk buffer read failed: {}", name(),
                      batch.error.message());
        // At shutdown nothing more is read: what is on disk stays there for the restart
        // (past the deadline the pause is zero, so this would spin and never end).
        if (stopping_ && ingest_finished_) break;
        co_await pause(pause_timer_, read_backoff.next());
        continue;
      }
      if (stopping_ && ingest_finished_) break;
      send_wake_timer_.expires_after(std::chrono::seconds(1));
      boost::system::error_code ignored;
      co_await send_wake_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      continue;
    }
    read_backoff.reset();
    const Settled settled = co_await write_until_settled(batch.records);
    if (settled.kind == Settled::Kind::kNot) break;  // kept on disk for the restart
    if (const std::error_code error = disk.commit(batch.end)) {
      spdlog::warn(
          "pipeline: sink {}: disk buffer commit not saved ({}); a restart sends those "
          "records again",
          name(), error.message());
    }
    if (totals_ != nullptr && settled.kind == Settled::Kind::kDelivered) totals_->batches.inc();
    if (stopping_ && ingest_finished_) break;  // what is left stays on disk for the restart
  }
}

}  // namespace lc
