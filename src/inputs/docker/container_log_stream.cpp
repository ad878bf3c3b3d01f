#include "inputs/docker/container_log_stream.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <iterator>
#include <limits>
#include <optional>

#include "core/backoff.hpp"
#include "docker/docker_client.hpp"
#include "inputs/docker/container_log_decoder.hpp"
#include "inputs/docker/docker_input_metrics.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/pipeline.hpp"
#include "processors/multiline/multiline_selection.hpp"

namespace lc::docker_input {

namespace asio = boost::asio;

namespace {

constexpr std::size_t kReadBufferBytes = 16 * 1024;
// dockerd writes every log entry on its own, so a reader that wakes for each one pays a
// syscall, an epoll round and a coroutine resume per line or two. After a small read, a
// short pause lets entries gather in the socket: reads grow to kilobytes, and a line still
// reaches the pipeline within a millisecond or two. Busy streams never pause (big reads).
constexpr std::size_t kSmallReadBytes = 2 * 1024;
constexpr auto kGatherPause = std::chrono::microseconds(1500);
// A stream with nothing delivered yet may hold a line written after the other stream's last
// delivered one but stamped earlier (each stream is stamped in its own goroutine): a resume
// reads that much before the other stream's position. Far above dockerd's stamp-to-write lag.
constexpr TimestampNs kUnseenStreamMargin = 5'000'000'000;
// A plain read that ends inside a line being written in 16 KiB pieces is read again shortly:
// the follow stream starts at the end and would see only the line's later pieces.
constexpr int kOpenLineRetries = 20;
constexpr auto kOpenLineRetryPause = std::chrono::milliseconds(100);
// dockerd's follower, left unread while the log rotates, reopens the log by name and skips
// the files in between (seen: 46,000 of 60,000 lines lost by `docker logs -f` paused 6 s at
// 2.7 MB/s with 1 MB files). A follow the agent stopped reading for this long (its sinks
// pushing back) is closed; plain reads, for which dockerd opens every file at once, take over.
constexpr auto kFollowStallLimit = std::chrono::milliseconds(500);
// dockerd fixes a follow's starting point in a goroutine of its own, which may run after the
// response began: the plain read beside it starts this much later, to begin after it.
constexpr auto kFollowStartGrace = std::chrono::milliseconds(20);
// How often the flush timer looks again whether the reads caught up with the log.
constexpr auto kReaderBehindRecheck = std::chrono::milliseconds(100);

// Counts an open stream connection and closes it on every path out of its read.
class OpenStreamGuard {
 public:
  OpenStreamGuard(std::unique_ptr<docker::DockerStream>& slot, DockerInputMetrics& metrics)
      : slot_(slot), metrics_(metrics) {
    metrics_.streams_opened.inc();
    metrics_.streams_active.add(1);
  }
  ~OpenStreamGuard() {
    slot_->close();
    slot_.reset();
    metrics_.streams_closed.inc();
    metrics_.streams_active.sub(1);
  }
  OpenStreamGuard(const OpenStreamGuard&) = delete;
  OpenStreamGuard& operator=(const OpenStreamGuard&) = delete;

 private:
  std::unique_ptr<docker::DockerStream>& slot_;
  DockerInputMetrics& metrics_;
};

// dockerd answers 501 Not Implemented when the container's log driver cannot be read back
// (logger.ErrReadLogsNotSupported): no retry will change that. Other errors may pass.
bool cannot_read_logs(const docker::DockerApiError& error) { return error.status == 501; }

}  // namespace

// The decoder's counters reach the metrics as they grow (report() after each read and at the
// end), and on every way out.
class ContainerLogStream::DecoderAccount {
 public:
  DecoderAccount(const ContainerLogDecoder& decoder, DockerInputMetrics& metrics)
      : decoder_(decoder), metrics_(metrics) {}
  ~DecoderAccount() { report(); }
  DecoderAccount(const DecoderAccount&) = delete;
  DecoderAccount& operator=(const DecoderAccount&) = delete;

  void report() {
    const DecoderCounters& now = decoder_.counters();
    metrics_.truncated_lines.inc(now.truncated_lines - reported_.truncated_lines);
    metrics_.skipped_records.inc(now.skipped_records - reported_.skipped_records);
    metrics_.replayed_lines.inc(now.replayed_lines - reported_.replayed_lines);
    reported_ = now;
  }

 private:
  const ContainerLogDecoder& decoder_;
  DockerInputMetrics& metrics_;
  DecoderCounters reported_;
};

ContainerLogStream::ContainerLogStream(asio::any_io_executor executor, Dependencies deps,
                                       ContainerMetadataPtr container, FinishedCallback on_finished)
    : executor_(executor),
      deps_(deps),
      container_(std::move(container)),
      on_finished_(std::move(on_finished)),
      submitter_(deps.pipeline, deps.tracker, deps.metrics),
      pause_timer_(executor),
      drained_(executor, std::chrono::steady_clock::time_point::max()),
      flush_timer_(executor) {
  if (auto delivered = deps_.tracker.position(container_->id)) {
    position_ = *delivered;
  } else if (deps_.config.start_at == DockerInputConfig::StartAt::kNow) {
    start_since_ = now_ns();  // a floor for since=, not a delivery: it drops no record itself
  }
  read_ = position_;
  if (deps_.multiline != nullptr) {
    std::array<std::optional<multiline::StreamJoining>, 2> joining;
    for (const LogStream stream : {LogStream::kStdout, LogStream::kStderr}) {
      LogRecord probe;
      probe.container = container_;
      probe.stream = stream;
      joining[stream == LogStream::kStderr] = deps_.multiline->for_stream(probe);
    }
    joiners_ = multiline::ContainerStreamJoiners(
        joining, multiline::ContainerStreamJoiners::GroupPosition::kLastLine);
  }
  deps_.metrics.containers_followed.add(1);
}

ContainerLogStream::~ContainerLogStream() { deps_.metrics.containers_followed.sub(1); }

void ContainerLogStream::start() {
  asio::co_spawn(
      executor_, [self = shared_from_this()] { return self->run(); }, deps_.tasks.track());
  if (joiners_.any()) {
    asio::co_spawn(
        executor_, [self = shared_from_this()] { return self->flush_idle_groups(); },
        deps_.tasks.track());
  }
}

void ContainerLogStream::stop() {
  stopping_ = true;
  pause_timer_.cancel();
  flush_timer_.cancel();
  if (follow_stream_) follow_stream_->close();
  if (plain_stream_) plain_stream_->close();
}

asio::awaitable<void> ContainerLogStream::pause(std::chrono::microseconds delay) {
  pause_timer_.expires_after(delay);
  boost::system::error_code ignored;
  co_await pause_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

asio::awaitable<void> ContainerLogStream::run() {
  StreamEnd how = StreamEnd::kStopped;
  try {
    how = co_await follow_until_end();
  } catch (const std::exception& e) {
    spdlog::error("docker: container {}: log stream task failed: {}",
                  short_container_id(container_->id), e.what());
  }
  // Without a clean end (the agent stops) open groups stay undelivered: read again whole later.
  if (how == StreamEnd::kExited || how == StreamEnd::kGone) co_await deliver_open_groups();
  finished_ = true;
  flush_timer_.cancel();
  if (retire_ || how == StreamEnd::kGone) deps_.tracker.retire(container_->id);
  on_finished_(container_->id, how);
}

asio::awaitable<void> ContainerLogStream::deliver_open_groups() {
  try {
    joiners_.flush(outbox_);
    co_await drain();
  } catch (const std::exception& e) {
    spdlog::warn("docker: container {}: its last multi-line records were not submitted: {}",
                 short_container_id(container_->id), e.what());
  }
}

asio::awaitable<void> ContainerLogStream::flush_idle_groups() {
  try {
    while (!stopping_ && !finished_) {
      const auto due = joiners_.flush_deadline();
      flush_timer_.expires_at(due.value_or(std::chrono::steady_clock::time_point::max()));
      boost::system::error_code ignored;
      co_await flush_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      if (stopping_ || finished_) break;
      // Only while the reads wait on the follow for new lines: a reader behind (sinks pushing
      // back, history, a reopen) may hold the group's next lines unread.
      while (!awaiting_follow_ && joiners_.flush_deadline() && !stopping_ && !finished_) {
        flush_timer_.expires_after(kReaderBehindRecheck);
        co_await flush_timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
      }
      if (stopping_ || finished_) break;
      joiners_.flush_expired(outbox_);
      co_await drain();
    }
  } catch (const std::exception& e) {
    if (!stopping_) {
      spdlog::warn("docker: container {}: flushing multi-line records failed: {}",
                   short_container_id(container_->id), e.what());
    }
  }
}

asio::awaitable<StreamEnd> ContainerLogStream::follow_until_end() {
  Backoff backoff(deps_.config.stream_retry_initial, deps_.config.stream_retry_max);
  const std::string id = container_->id;
  while (!stopping_) {
    const ContainerPosition before = read_;  // lines held in a joiner are progress too
    const bool followed = container_->running;
    const std::string started_before = container_->started_at;
    bool read_to_end = false;
    bool removed = false;
    try {
      // A stopped container is read to its end without follow: dockerd serves a plain read
      // with less work than a follow stream.
      if (followed) {
        co_await catch_up_and_follow();
      } else {
        co_await read_plain(/*running=*/false);
      }
      read_to_end = !stopping_;
    } catch (const docker::DockerApiError& e) {
      removed = e.status == 404;
      if (cannot_read_logs(e)) {
        spdlog::warn("docker: container {} ({}): cannot read its log: {}", container_->name,
                     short_container_id(id), e.what());
        co_return StreamEnd::kUnsupported;
      }
      if (!removed) count_refusal("reading its log", e);  // 500, 409 during removal: retried
    } catch (const std::exception& e) {
      if (stopping_) break;
      deps_.metrics.stream_errors.inc();
      spdlog::debug("docker: container {}: log stream ended: {}", short_container_id(id), e.what());
    }
    if (removed) {
      co_await submit(held_final_);  // removed at once (docker run --rm): its last words
      co_return StreamEnd::kGone;
    }
    if (stopping_) break;
    if (!(read_ == before)) backoff.reset();

    started_again_ = false;  // a start event from here on means: keep following
    std::optional<ContainerMetadata> now;
    bool inspected = true;
    try {
      now = co_await deps_.client.inspect_container(id);
    } catch (const std::exception& e) {
      spdlog::debug("docker: container {}: inspect failed: {}", short_container_id(id), e.what());
      inspected = false;
    }
    if (!inspected) {
      co_await pause(backoff.next());
      continue;
    }
    if (!now) {
      co_await submit(held_final_);  // removed at once (docker run --rm): its last words
      co_return StreamEnd::kGone;
    }
    now->input = container_->input;
    container_ = std::make_shared<const ContainerMetadata>(std::move(*now));
    if (container_->running) {
      co_await pause(backoff.next());
      continue;
    }
    // A plain read of a container that was stopped before it began, and has not started since
    // (same StartedAt), read the whole log: a catch-up read would make dockerd decode every
    // line of it again to find the ones after `since`, for nothing.
    if (read_to_end && !followed && !started_before.empty() &&
        container_->started_at == started_before) {
      if (started_again_) continue;
      co_return StreamEnd::kExited;
    }
    // Stopped: the follow stream may have ended before the last lines reached it.
    deps_.metrics.catch_up_reads.inc();
    bool caught_up = true;
    bool gone = false;
    try {
      co_await read_plain(/*running=*/false);
    } catch (const docker::DockerApiError& e) {
      caught_up = false;
      if (cannot_read_logs(e)) co_return StreamEnd::kUnsupported;
      gone = e.status == 404;
      if (!gone) count_refusal("catch-up read", e);
    } catch (const std::exception& e) {
      if (stopping_) break;
      deps_.metrics.stream_errors.inc();
      spdlog::debug("docker: container {}: catch-up read failed: {}", short_container_id(id),
                    e.what());
      caught_up = false;
    }
    if (gone) {
      co_await submit(held_final_);
      co_return StreamEnd::kGone;
    }
    if (!caught_up) {
      co_await pause(backoff.next());
      continue;
    }
    if (started_again_) continue;
    co_return StreamEnd::kExited;
  }
  co_return StreamEnd::kStopped;
}

void ContainerLogStream::count_refusal(const char* what, const docker::DockerApiError& error) {
  deps_.metrics.stream_errors.inc();
  spdlog::warn("docker: container {}: {} failed: {}; retrying", short_container_id(container_->id),
               what, error.what());
}

docker::LogsQuery ContainerLogStream::query_from_position(bool follow) const {
  docker::LogsQuery query;
  query.follow = follow;
  // What the joiners hold counts as read: a reopen within this process must not repeat it.
  query.since = std::max(start_since_, read_.resume_since(kUnseenStreamMargin));
  return query;
}

asio::awaitable<void> ContainerLogStream::catch_up_and_follow() {
  int open_line_retries = 0;
  while (!stopping_) {
    // A line written for seconds in pieces: dockerd's own catch-up joins it (and loses a file
    // only if a rotation happens during that catch-up).
    const bool from_end = open_line_retries <= kOpenLineRetries;
    docker::LogsQuery query = query_from_position(/*follow=*/true);
    if (from_end) query.tail = 0;  // dockerd watches for rotations from this instant
    follow_stream_ = co_await deps_.client.open_logs(container_->id, query);
    OpenStreamGuard guard(follow_stream_, deps_.metrics);
    if (stopping_) co_return;
    const ContainerPosition follow_from = read_;
    bool stalled = false;
    if (from_end) {
      co_await pause(kFollowStartGrace);
      if (stopping_) co_return;
      // The history, to past the follow's start: what both carry is dropped by position.
      const PlainRead history = co_await read_plain(/*running=*/true);
      if (stopping_) co_return;
      if (history.line_open) {
        ++open_line_retries;
        co_await pause(kOpenLineRetryPause);
        continue;
      }
      stalled = history.held > kFollowStallLimit;
    }
    open_line_retries = 0;
    if (!stalled && !co_await read_follow(from_end ? read_ : follow_from)) co_return;
    deps_.metrics.follows_stalled.inc();
    spdlog::debug("docker: container {}: follow stream left unread too long; reading on",
                  short_container_id(container_->id));
  }
}

asio::awaitable<ContainerLogStream::PlainRead> ContainerLogStream::read_plain(bool running) {
  plain_stream_ =
      co_await deps_.client.open_logs(container_->id, query_from_position(/*follow=*/false));
  OpenStreamGuard guard(plain_stream_, deps_.metrics);
  if (stopping_) co_return PlainRead{};
  const ContainerPosition from = read_;
  ContainerLogDecoder decoder(container_, container_->tty, deps_.config.max_line_bytes, from);
  decoder.expect_resume_record();
  DecoderAccount account(decoder, deps_.metrics);
  PlainRead result;
  result.held = (co_await consume(*plain_stream_, decoder, account, /*follow=*/false)).held;
  if (stopping_) co_return result;
  // A plain read ends at the log's end, which is a line's end unless a line over 16 KiB is
  // still being written: then its pieces so far wait in held_final_ (the container's last
  // words if it is removed now) and the next read has all of it.
  result.line_open = running && decoder.ends_inside_a_pieced_line();
  std::vector<LogRecord> last;
  decoder.finish(last);
  account.report();
  if (result.line_open) {
    held_final_ = std::move(last);
  } else {
    co_await submit(last);
  }
  // Counted once per position: the retries of a read would find the same gap again.
  if (decoder.counters().history_gaps > 0 && !(from == gap_counted_at_)) {
    deps_.metrics.history_gaps.inc(decoder.counters().history_gaps);
    gap_counted_at_ = from;
  }
  co_return result;
}

asio::awaitable<bool> ContainerLogStream::read_follow(const ContainerPosition& delivered) {
  ContainerLogDecoder decoder(container_, container_->tty, deps_.config.max_line_bytes, delivered);
  decoder.drop_all_delivered();
  DecoderAccount account(decoder, deps_.metrics);
  if ((co_await consume(*follow_stream_, decoder, account, /*follow=*/true)).stalled) {
    co_return true;
  }
  // A follow stream that ends may be continued: hold its pending piece until we know whether
  // the container is gone (then it is the last line there will ever be) or not (re-read).
  held_final_.clear();
  if (!stopping_) decoder.finish(held_final_);
  account.report();
  co_return false;
}

asio::awaitable<ContainerLogStream::Consumed> ContainerLogStream::consume(
    docker::DockerStream& stream, ContainerLogDecoder& decoder, DecoderAccount& account,
    bool follow) {
  Consumed result;
  // How long the follow has gone unread while dockerd had more for it: waits in submit since
  // the last read that emptied the socket (a full buffer says more was waiting).
  std::chrono::steady_clock::duration behind{};
  std::vector<char> buffer(kReadBufferBytes);
  std::vector<LogRecord> records;
  for (;;) {
    awaiting_follow_ = follow;  // caught up: a follow's read waits only when dockerd has nothing
    std::size_t n = 0;
    try {
      n = co_await stream.read_some(std::span<char>(buffer));
    } catch (...) {
      awaiting_follow_ = false;
      throw;
    }
    awaiting_follow_ = false;
    if (n == 0) break;
    if (!decoder.feed(std::string_view(buffer.data(), n), records)) {
      // Corrupt framing: what was decoded is good; reopen from the last good record.
      co_await submit(records);
      deps_.metrics.malformed_streams.inc();
      spdlog::warn("docker: container {}: malformed log stream; reopening from its position",
                   short_container_id(container_->id));
      throw std::runtime_error("malformed log stream");
    }
    account.report();
    const auto submitting = std::chrono::steady_clock::now();
    if (!records.empty()) co_await submit(records);
    const auto waited = std::chrono::steady_clock::now() - submitting;
    result.held += waited;
    behind = (n == buffer.size() ? behind : std::chrono::steady_clock::duration{}) + waited;
    if (stopping_) break;
    if (follow && behind > kFollowStallLimit) {
      result.stalled = true;
      break;
    }
    if (n < kSmallReadBytes) co_await pause(kGatherPause);
    if (stopping_) break;
  }
  co_return result;
}

asio::awaitable<void> ContainerLogStream::submit(std::vector<LogRecord>& lines) {
  if (lines.empty() && outbox_.empty()) co_return;
  std::vector<LogRecord> taken;
  taken.swap(lines);  // `lines` may be held_final_ itself
  hand_on(taken);
  co_await drain();
}

void ContainerLogStream::hand_on(std::vector<LogRecord>& lines) {
  for (const LogRecord& line : lines) line.advance(read_);
  // A held unterminated piece that a later read completed is handed on already.
  std::erase_if(held_final_, [&](const LogRecord& held) {
    return read_.covers(held.stream, held.time, held.index_at_time);
  });
  if (!joiners_.any()) {
    if (outbox_.empty()) {
      outbox_.swap(lines);
    } else {
      std::move(lines.begin(), lines.end(), std::back_inserter(outbox_));
    }
    lines.clear();
    return;
  }
  const bool timer_idle = !joiners_.flush_deadline().has_value();
  for (LogRecord& line : lines) {
    const LogStream stream = line.stream;
    const TimestampNs time = line.time;
    close_unseen_stream_group(stream, time);
    joiners_.flush_passed_by(stream, time, outbox_);
    if (multiline::MultilineJoiner* joiner = joiners_.of(stream)) {
      joiner->push(std::move(line), multiline::MultilineJoiner::Clock::now(), outbox_);
    } else {
      outbox_.push_back(std::move(line));
    }
  }
  lines.clear();
  // The flush timer sleeps while no group is open: a group opened now wakes it.
  if (timer_idle && joiners_.flush_deadline()) flush_timer_.cancel();
}

void ContainerLogStream::close_unseen_stream_group(LogStream stream, TimestampNs time) {
  const LogStream other = stream == LogStream::kStderr ? LogStream::kStdout : LogStream::kStderr;
  multiline::MultilineJoiner* joiner = joiners_.of(other);
  if (joiner == nullptr || !joiner->has_pending() || !position_.of(other).empty()) return;
  if (time > joiner->first_line_time() + kUnseenStreamMargin / 2) joiner->flush(outbox_);
}

asio::awaitable<void> ContainerLogStream::drain() {
  while (draining_) {
    boost::system::error_code woken;  // cancelled when the drain under way ends
    co_await drained_.async_wait(asio::redirect_error(asio::use_awaitable, woken));
  }
  draining_ = true;
  struct EndDrain {
    ContainerLogStream& stream;
    ~EndDrain() {
      stream.draining_ = false;
      stream.drained_.cancel();
    }
  } end_drain{*this};
  while (!outbox_.empty()) {
    std::vector<LogRecord> batch;
    batch.swap(outbox_);
    co_await submitter_.submit(container_->id, position_, batch);
  }
}

}  // namespace lc::docker_input
