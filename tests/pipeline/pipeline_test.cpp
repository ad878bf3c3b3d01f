#include "pipeline/pipeline.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/system/system_error.hpp>
#include <future>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/fake_sink.hpp"
#include "pipeline/loop_thread.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::eventually;
using testing::FakeSink;
using testing::LoopThread;
using Clock = std::chrono::steady_clock;

const std::string kContainerId(64, 'c');
constexpr TimestampNs kPipelineStart = 1'700'000'000'000'000'000;

// The value of an unlabelled series in the Prometheus text, or -1 when absent.
double metric(const MetricsRegistry& metrics, const std::string& name) {
  std::istringstream lines(metrics.render());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

class PipelineTest : public ::testing::Test {
 protected:
  PipelineTest() : container_(make_container()) {
    config_.memory_limit_bytes = 64 * 1024 * 1024;
    config_.batch_max_records = 1000;
    config_.batch_max_bytes = 1ull << 30;
    config_.flush_interval = 1h;  // only count, bytes or stop make a batch unless a test says so
    config_.flush_on_idle = false;
    config_.retry_initial = 1ms;
    config_.retry_max = 2ms;
  }

  ~PipelineTest() override {
    if (pipeline_ && !pipeline_->stopped()) {
      pipeline_->stop(Clock::now());
      sink_->open_gate();
      eventually([&] { return pipeline_->stopped(); }, 5s);
    }
    input_loop_.join();
    sink_loop_.join();
    pipeline_.reset();  // before the io_contexts its timers belong to
    sink_.reset();
  }

  static ContainerMetadataPtr make_container() {
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->id = kContainerId;
    metadata->name = "web-1";
    metadata->image = "shop/web:1.4";
    return metadata;
  }

  void make_pipeline() {
    sink_ = std::make_unique<FakeSink>(sink_loop_.executor());
    pipeline_ = std::make_unique<Pipeline>(config_, sink_loop_.executor(), *sink_, tracker_,
                                           metrics_, health_);
  }

  // Record i of the test container: one timestamp per record, message "m<i>" padded to `size`.
  LogRecord record(int i, std::size_t size = 0) const {
    LogRecord r;
    r.container = container_;
    r.time = kPipelineStart + i;
    r.index_at_time = 0;
    r.message = "m" + std::to_string(i);
    if (r.message.size() < size) r.message.resize(size, '.');
    r.message.shrink_to_fit();
    return r;
  }
  std::vector<LogRecord> records(int first, int count, std::size_t size = 0) const {
    std::vector<LogRecord> out;
    for (int i = first; i < first + count; ++i) out.push_back(record(i, size));
    return out;
  }
  static std::vector<std::string> messages(int first, int count) {
    std::vector<std::string> out;
    for (int i = first; i < first + count; ++i) out.push_back("m" + std::to_string(i));
    return out;
  }

  // Submits each group in turn from the input loop, as one input would.
  std::future<void> submit(std::vector<std::vector<LogRecord>> groups) {
    return asio::co_spawn(
        input_loop_.context(),
        [this, groups = std::move(groups)]() mutable -> asio::awaitable<void> {
          for (auto& group : groups) {
            tracker_.on_submitted(
                kContainerId, group.size(),
                group.empty() ? ContainerPosition{} : group.back().position_after());
            co_await pipeline_->submit(std::move(group));
            ++submitted_groups_;
          }
        },
        asio::use_future);
  }

  // Submits from the input loop and returns how it ended: no exception crosses threads (an
  // exception_ptr shared across threads is a known ThreadSanitizer false positive).
  std::future<boost::system::error_code> submit_for_error(std::vector<LogRecord> group) {
    return asio::co_spawn(
        input_loop_.context(),
        [this, group = std::move(group)]() mutable -> asio::awaitable<boost::system::error_code> {
          try {
            co_await pipeline_->submit(std::move(group));
          } catch (const boost::system::system_error& e) {
            co_return e.code();
          }
          co_return boost::system::error_code{};
        },
        asio::use_future);
  }

  static void expect_done(std::future<void>& future) {
    ASSERT_EQ(future.wait_for(10s), std::future_status::ready);
    future.get();
  }

  bool stop_and_wait(Clock::time_point deadline) {
    pipeline_->stop(deadline);
    return eventually([&] { return pipeline_->stopped(); });
  }

  double counter(const std::string& name) { return metric(metrics_, name); }

  PipelineConfig config_;
  LoopThread sink_loop_;
  LoopThread input_loop_;
  ContainerMetadataPtr container_;
  CheckpointTracker tracker_;
  MetricsRegistry metrics_;
  HealthRegistry health_;
  std::unique_ptr<FakeSink> sink_;
  std::unique_ptr<Pipeline> pipeline_;
  std::atomic<int> submitted_groups_{0};
};

TEST_F(PipelineTest, BatchesByRecordCount) {
  config_.batch_max_records = 3;
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 7)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 6; }));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{3, 3}));
  EXPECT_EQ(pipeline_->queued_records(), 1u);  // waits for the (hour-long) flush interval

  ASSERT_TRUE(stop_and_wait(Clock::now() + 10s));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{3, 3, 1}));
  EXPECT_EQ(sink_->delivered(), messages(0, 7));
}

TEST_F(PipelineTest, BatchesByBytes) {
  const std::uint64_t each = record(0, 200).memory_bytes();
  ASSERT_EQ(record(4, 200).memory_bytes(), each);
  config_.batch_max_bytes = each * 2 + each / 2;  // two records per batch
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 5, 200)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 4; }));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{2, 2}));
  EXPECT_EQ(pipeline_->queued_records(), 1u);
  ASSERT_TRUE(stop_and_wait(Clock::now() + 10s));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{2, 2, 1}));
}

// A lane queues each submitted group as it came and takes whole groups into a batch when they
// fit, splitting one only at a batch's end: order kept, and a group's position is acknowledged
// only once its last record is delivered.
TEST_F(PipelineTest, GroupsAreJoinedAndSplitIntoBatchesInOrder) {
  config_.batch_max_records = 4;
  make_pipeline();
  // What the checkpoint said when each batch reached the sink: a group split across batches
  // must not be done (nor done twice) before its last record is.
  std::vector<std::optional<ContainerPosition>> position_at_call;
  sink_->on_write = [&](std::span<const LogRecord>) {
    const auto positions = tracker_.positions();
    const auto found = positions.find(kContainerId);
    position_at_call.push_back(
        found == positions.end() ? std::nullopt : std::optional<ContainerPosition>(found->second));
  };
  pipeline_->start();
  auto done = submit({records(0, 3), records(3, 3), records(6, 1), records(7, 5), records(12, 2)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 12; }));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{4, 4, 4}));
  EXPECT_EQ(sink_->delivered(), messages(0, 12));
  ASSERT_TRUE(eventually([&] {
    return counter("log_capturer_pipeline_records_delivered_total") == 12 &&
           tracker_.positions().contains(kContainerId) &&
           tracker_.positions().at(kContainerId) == record(11).position_after();
  }));
  EXPECT_EQ(pipeline_->queued_records(), 2u);

  ASSERT_TRUE(stop_and_wait(Clock::now() + 10s));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{4, 4, 4, 2}));
  EXPECT_EQ(sink_->delivered(), messages(0, 14));
  EXPECT_EQ(tracker_.positions().at(kContainerId), record(13).position_after());
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 14);
  EXPECT_EQ(pipeline_->memory_in_use(), 0u);
  // Batch 1 (records 0-3) finished the first group; batch 2 (4-7) the second and third; batch
  // 3 (8-11) the fourth, begun in batch 2.
  const std::vector<std::optional<ContainerPosition>> expected = {
      std::nullopt, record(2).position_after(), record(6).position_after(),
      record(11).position_after()};
  EXPECT_EQ(position_at_call, expected);
}

// Bytes split a group too: a batch ends before the record that would pass its bytes.
TEST_F(PipelineTest, BytesSplitAGroupAcrossBatchesAndJoinTheNext) {
  const std::uint64_t each = record(0, 200).memory_bytes();
  config_.batch_max_bytes = each * 3;
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 2, 200), records(2, 2, 200), records(4, 5, 200)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 9; }));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{3, 3, 3}));
  ASSERT_TRUE(eventually([&] {
    return counter("log_capturer_pipeline_records_delivered_total") == 9 &&
           tracker_.positions().contains(kContainerId) &&
           tracker_.positions().at(kContainerId) == record(8).position_after();
  }));
  EXPECT_EQ(pipeline_->queued_records(), 0u);
  EXPECT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

TEST_F(PipelineTest, FlushIntervalDeliversAPartialBatch) {
  config_.flush_interval = 20ms;
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 2)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 2; }));
  EXPECT_EQ(sink_->batch_sizes(), (std::vector<std::size_t>{2}));
  EXPECT_EQ(pipeline_->queued_records(), 0u);
  EXPECT_FALSE(pipeline_->stopped());
}

TEST_F(PipelineTest, APartialBatchGoesOutOnceTheInputsAreIdle) {
  // flush_interval is an hour: only the inputs going idle can send these records now.
  config_.flush_on_idle = true;
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 2), records(2, 1)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 3; }, 5s));
  EXPECT_EQ(sink_->delivered(), messages(0, 3));
}

TEST_F(PipelineTest, MemoryBoundBlocksSubmitUntilDeliveryReleasesIt) {
  const std::uint64_t each = record(0).memory_bytes();
  config_.memory_limit_bytes = 3 * each;
  config_.batch_max_records = 1;
  make_pipeline();
  std::atomic<std::uint64_t> peak_seen_by_sink{0};
  sink_->on_write = [&](std::span<const LogRecord>) {
    peak_seen_by_sink = std::max(peak_seen_by_sink.load(), pipeline_->memory_in_use());
  };
  sink_->close_gate();
  pipeline_->start();

  std::vector<std::vector<LogRecord>> groups;
  for (int i = 0; i < 10; ++i) groups.push_back(records(i, 1));
  std::atomic<std::uint64_t> peak_seen_by_input{0};
  auto done = asio::co_spawn(
      input_loop_.context(),
      [&]() -> asio::awaitable<void> {
        for (auto& group : groups) {
          co_await pipeline_->submit(std::move(group));
          ++submitted_groups_;
          peak_seen_by_input = std::max(peak_seen_by_input.load(), pipeline_->memory_in_use());
        }
      },
      asio::use_future);

  // One record at the (closed) sink, two queued: the bound is reached, the fourth submit waits.
  ASSERT_TRUE(eventually([&] { return submitted_groups_ == 3; }));
  EXPECT_EQ(pipeline_->memory_in_use(), 3 * each);
  EXPECT_EQ(metric(metrics_, "log_capturer_pipeline_memory_bytes"), static_cast<double>(3 * each));
  EXPECT_FALSE(eventually([&] { return submitted_groups_ > 3; }, 100ms));
  EXPECT_EQ(done.wait_for(0s), std::future_status::timeout);
  EXPECT_EQ(sink_->call_count(), 0u);

  sink_->open_gate();
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 10; }));
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
  EXPECT_EQ(sink_->delivered(), messages(0, 10));
  EXPECT_LE(peak_seen_by_sink.load(), 3 * each);
  EXPECT_LE(peak_seen_by_input.load(), 3 * each);
  EXPECT_GT(metric(metrics_, "log_capturer_pipeline_blocked_seconds_total"), 0.0);
}

TEST_F(PipelineTest, FileReadersWaitAtTheReadAheadBoundWhileStreamsMayStillSubmit) {
  const std::uint64_t each = record(0).memory_bytes();
  config_.memory_limit_bytes = 10 * each;
  config_.read_ahead_bytes = 2 * each;
  config_.batch_max_records = 1;
  make_pipeline();
  sink_->close_gate();
  pipeline_->start();

  auto held = submit({records(0, 1, 1), records(1, 1, 1)});  // two held at the closed sink
  expect_done(held);
  std::atomic<bool> may_read{false};
  auto reader = asio::co_spawn(
      input_loop_.context(),
      [&]() -> asio::awaitable<void> {
        co_await pipeline_->wait_for_read_room();
        may_read = true;
      },
      asio::use_future);
  EXPECT_FALSE(eventually([&] { return may_read.load(); }, 100ms));
  auto stream = submit({records(2, 1, 1)});  // an API stream is bounded by the whole limit only
  expect_done(stream);
  EXPECT_FALSE(may_read.load());

  sink_->open_gate();
  expect_done(reader);
  EXPECT_TRUE(may_read.load());
  EXPECT_LT(pipeline_->memory_in_use(), 2 * each);
  EXPECT_GT(metric(metrics_, "log_capturer_pipeline_blocked_seconds_total"), 0.0);
}

TEST_F(PipelineTest, AReaderWaitingForRoomMakesTheSinksSendAPartialBatch) {
  const std::uint64_t each = record(0).memory_bytes();
  config_.read_ahead_bytes = 3 * each;  // batches of 1000 records or 1 h would never come
  make_pipeline();
  pipeline_->start();
  auto held = submit({records(0, 3, 1)});
  expect_done(held);
  EXPECT_EQ(pipeline_->memory_in_use(), 3 * each);
  auto reader = asio::co_spawn(
      input_loop_.context(),
      [&]() -> asio::awaitable<void> { co_await pipeline_->wait_for_read_room(); },
      asio::use_future);
  expect_done(reader);
  EXPECT_EQ(sink_->delivered(), messages(0, 3));
}

TEST_F(PipelineTest, ReadAheadBoundNeverExceedsTheMemoryLimit) {
  const std::uint64_t each = record(0).memory_bytes();
  config_.memory_limit_bytes = 2 * each;
  config_.read_ahead_bytes = 1ull << 30;
  config_.batch_max_records = 1;
  make_pipeline();
  sink_->close_gate();
  pipeline_->start();
  auto held = submit({records(0, 1, 1), records(1, 1, 1)});
  expect_done(held);
  auto reader = asio::co_spawn(
      input_loop_.context(),
      [&]() -> asio::awaitable<void> { co_await pipeline_->wait_for_read_room(); },
      asio::use_future);
  EXPECT_EQ(reader.wait_for(100ms), std::future_status::timeout);
  sink_->open_gate();
  expect_done(reader);
}

TEST_F(PipelineTest, OversizeRecordIsAdmittedWhenThePipelineIsEmpty) {
  config_.memory_limit_bytes = 64;
  config_.flush_interval = 1ms;
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 1, 1000)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 1; }));
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

TEST_F(PipelineTest, RetriesThenDeliversAndAcknowledgesOnlyAfterDelivery) {
  config_.batch_max_records = 5;
  make_pipeline();
  sink_->script({SinkWriteOutcome::retry("disk full"), SinkWriteOutcome::retry("disk full")});
  std::vector<bool> acknowledged_at_call;
  std::vector<bool> healthy_at_call;
  sink_->on_write = [&](std::span<const LogRecord>) {
    acknowledged_at_call.push_back(tracker_.positions().contains(kContainerId));
    healthy_at_call.push_back(health_.snapshot()["sink.fake"].healthy);
  };
  pipeline_->start();
  auto done = submit({records(0, 5)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 5; }));
  ASSERT_TRUE(eventually([&] { return tracker_.positions().contains(kContainerId); }));

  const auto calls = sink_->calls();
  ASSERT_EQ(calls.size(), 3u);
  for (const auto& call : calls) EXPECT_EQ(call.messages, messages(0, 5));  // the same batch
  EXPECT_EQ(acknowledged_at_call, (std::vector<bool>{false, false, false}));
  EXPECT_EQ(healthy_at_call, (std::vector<bool>{true, false, false}));
  EXPECT_EQ(tracker_.positions().at(kContainerId), record(4).position_after());
  EXPECT_FALSE(tracker_.has_undelivered(kContainerId));
  EXPECT_TRUE(health_.snapshot().at("sink.fake").healthy);
  EXPECT_EQ(counter("log_capturer_pipeline_retries_total"), 2);
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 5);
  EXPECT_EQ(counter("log_capturer_pipeline_batches_total"), 1);
  EXPECT_EQ(counter("log_capturer_pipeline_records_rejected_total"), 0);
}

TEST_F(PipelineTest, ARetryWaitsAtLeastWhatTheSinksRetryAfterAsks) {
  config_.batch_max_records = 5;
  config_.retry_initial = 1ms;  // the backoff alone would retry at once
  config_.retry_max = 1ms;
  make_pipeline();
  SinkWriteOutcome throttled = SinkWriteOutcome::retry("429");
  throttled.retry_after = 400ms;
  sink_->script({throttled});
  std::vector<std::chrono::steady_clock::time_point> call_times;
  sink_->on_write = [&](std::span<const LogRecord>) {
    call_times.push_back(std::chrono::steady_clock::now());
  };
  pipeline_->start();
  auto done = submit({records(0, 5)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 5; }));
  ASSERT_EQ(call_times.size(), 2u);
  EXPECT_GE(call_times[1] - call_times[0], 400ms);
}

TEST_F(PipelineTest, RecordsAreNeitherLostNorReorderedAcrossRetries) {
  config_.batch_max_records = 7;
  config_.flush_interval = 1ms;
  make_pipeline();
  std::vector<SinkWriteOutcome> script;
  for (int i = 0; i < 10; ++i) {
    script.push_back(SinkWriteOutcome::retry("flaky"));
    script.push_back(SinkWriteOutcome::delivered());
  }
  sink_->script(script);
  pipeline_->start();
  std::vector<std::vector<LogRecord>> groups;
  for (int i = 0; i < 10; ++i) groups.push_back(records(i * 10, 10));
  auto done = submit(std::move(groups));
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 100; }));
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kContainerId); }));
  EXPECT_EQ(sink_->delivered(), messages(0, 100));
  EXPECT_EQ(tracker_.positions().at(kContainerId), record(99).position_after());
  EXPECT_EQ(counter("log_capturer_pipeline_retries_total"), 10);
  // Counted on the sink thread after the checkpoint moved: awaited like it, then exact.
  EXPECT_TRUE(
      eventually([&] { return counter("log_capturer_pipeline_records_delivered_total") >= 100; }));
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 100);
  EXPECT_EQ(counter("log_capturer_pipeline_records_in_total"), 100);
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

TEST_F(PipelineTest, RejectedBatchIsCountedNotRetriedAndNotCountedAsDelivered) {
  config_.batch_max_records = 2;
  make_pipeline();
  sink_->script({SinkWriteOutcome::rejected("malformed")});
  pipeline_->start();
  auto done = submit({records(0, 4)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->call_count() == 2; }));
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kContainerId); }));
  EXPECT_EQ(sink_->delivered(), messages(2, 2));
  // Acknowledged anyway, so that the same malformed records are not read again forever.
  EXPECT_EQ(tracker_.positions().at(kContainerId), record(3).position_after());
  EXPECT_EQ(counter("log_capturer_pipeline_records_rejected_total"), 2);
  EXPECT_EQ(counter("log_capturer_pipeline_retries_total"), 0);
  // "Records the sink acknowledged" / "Batches the sink acknowledged": not the rejected ones.
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 2);
  EXPECT_EQ(counter("log_capturer_pipeline_batches_total"), 1);
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

TEST_F(PipelineTest, SinkIsHealthyAgainWhenAFailingBatchEndsRejected) {
  config_.batch_max_records = 1;
  make_pipeline();
  sink_->script({SinkWriteOutcome::retry("disk full"), SinkWriteOutcome::rejected("malformed")});
  pipeline_->start();
  auto done = submit({records(0, 2)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->delivered_count() == 1; }));
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kContainerId); }));
  // The sink accepts writes again (the second batch went through at the first try).
  EXPECT_TRUE(health_.snapshot().at("sink.fake").healthy)
      << health_.snapshot().at("sink.fake").detail;
  EXPECT_TRUE(health_.all_healthy());
}

TEST_F(PipelineTest, StopDrainsWhatIsQueuedThenRefusesNewRecords) {
  make_pipeline();
  pipeline_->start();
  auto done = submit({records(0, 4), records(4, 6)});
  expect_done(done);
  EXPECT_EQ(pipeline_->queued_records(), 10u);  // the flush interval is an hour away
  ASSERT_TRUE(stop_and_wait(Clock::now() + 10s));
  EXPECT_EQ(sink_->delivered(), messages(0, 10));
  EXPECT_EQ(pipeline_->queued_records(), 0u);
  EXPECT_EQ(pipeline_->memory_in_use(), 0u);
  EXPECT_EQ(tracker_.positions().at(kContainerId), record(9).position_after());

  auto refused = submit_for_error(records(10, 1));
  ASSERT_EQ(refused.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(refused.get(), asio::error::operation_aborted);
  EXPECT_EQ(counter("log_capturer_pipeline_records_in_total"), 10);
}

TEST_F(PipelineTest, StopFailsASubmitWaitingForMemory) {
  const std::uint64_t each = record(0).memory_bytes();
  config_.memory_limit_bytes = each;
  config_.batch_max_records = 1;
  make_pipeline();
  sink_->close_gate();
  pipeline_->start();
  auto first = submit({records(0, 1)});
  expect_done(first);
  auto blocked = submit_for_error(records(1, 1));
  EXPECT_EQ(blocked.wait_for(50ms), std::future_status::timeout);
  pipeline_->stop(Clock::now() + 10s);
  ASSERT_EQ(blocked.wait_for(10s), std::future_status::ready);
  EXPECT_EQ(blocked.get(), asio::error::operation_aborted);
  sink_->open_gate();
  ASSERT_TRUE(eventually([&] { return pipeline_->stopped(); }));
  EXPECT_EQ(sink_->delivered(), messages(0, 1));
}

TEST_F(PipelineTest, StopWithAFailingSinkEndsAtTheDeadlineWithoutAcknowledging) {
  config_.flush_interval = 1ms;
  make_pipeline();
  sink_->answer_by_default(SinkWriteOutcome::retry("connection refused"));
  pipeline_->start();
  auto done = submit({records(0, 5)});
  expect_done(done);
  const auto before_stop = pipeline_->memory_in_use();
  ASSERT_TRUE(eventually([&] { return sink_->call_count() >= 2; }));
  const auto deadline = Clock::now() + 200ms;
  ASSERT_TRUE(stop_and_wait(deadline));
  EXPECT_GE(Clock::now(), deadline);
  EXPECT_FALSE(tracker_.positions().contains(kContainerId));
  EXPECT_TRUE(tracker_.has_undelivered(kContainerId));
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 0);
  EXPECT_EQ(counter("log_capturer_pipeline_batches_total"), 0);
  EXPECT_GE(counter("log_capturer_pipeline_retries_total"), 2);
  EXPECT_EQ(pipeline_->memory_in_use(), before_stop);  // never released: nothing delivered
  EXPECT_FALSE(health_.snapshot().at("sink.fake").healthy);
}

TEST_F(PipelineTest, StopDoesNotOverrunItsDeadlineWhileWaitingToRetry) {
  config_.retry_initial = 1h;  // a sink that has been failing for a while: long backoff
  config_.retry_max = 1h;
  config_.flush_interval = 1ms;
  make_pipeline();
  sink_->answer_by_default(SinkWriteOutcome::retry("disk full"));
  pipeline_->start();
  auto done = submit({records(0, 1)});
  expect_done(done);
  ASSERT_TRUE(eventually([&] { return sink_->call_count() == 1; }));
  pipeline_->stop(Clock::now() + 100ms);
  EXPECT_TRUE(eventually([&] { return pipeline_->stopped(); }, 5s))
      << "stop() did not interrupt the retry backoff: shutdown overruns shutdown_timeout";
  EXPECT_FALSE(tracker_.positions().contains(kContainerId));
}

TEST_F(PipelineTest, MetricsAreExact) {
  const std::uint64_t each = record(0).memory_bytes();
  config_.memory_limit_bytes = 1'000'000;
  config_.batch_max_records = 1;
  make_pipeline();
  EXPECT_TRUE(health_.snapshot().at("pipeline").healthy);
  sink_->close_gate();
  pipeline_->start();
  auto done = submit({records(0, 3)});
  expect_done(done);
  // One record at the sink's gate, two queued.
  ASSERT_TRUE(eventually([&] { return pipeline_->queued_records() == 2; }));
  EXPECT_EQ(counter("log_capturer_pipeline_records_in_total"), 3);
  EXPECT_EQ(counter("log_capturer_pipeline_queued_records"), 2);
  EXPECT_EQ(counter("log_capturer_pipeline_memory_bytes"), static_cast<double>(3 * each));
  EXPECT_EQ(counter("log_capturer_pipeline_memory_limit_bytes"), 1'000'000);
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 0);
  EXPECT_EQ(counter("log_capturer_pipeline_batches_total"), 0);

  sink_->open_gate();
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
  EXPECT_EQ(counter("log_capturer_pipeline_records_in_total"), 3);
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 3);
  EXPECT_EQ(counter("log_capturer_pipeline_batches_total"), 3);
  EXPECT_EQ(counter("log_capturer_pipeline_retries_total"), 0);
  EXPECT_EQ(counter("log_capturer_pipeline_records_rejected_total"), 0);
  EXPECT_EQ(counter("log_capturer_pipeline_queued_records"), 0);
  EXPECT_EQ(counter("log_capturer_pipeline_memory_bytes"), 0);
  EXPECT_GE(counter("log_capturer_pipeline_blocked_seconds_total"), 0);
}

TEST_F(PipelineTest, EmptySubmitIsANoOp) {
  make_pipeline();
  pipeline_->start();
  auto done = submit({{}});
  expect_done(done);
  EXPECT_EQ(counter("log_capturer_pipeline_records_in_total"), 0);
  EXPECT_EQ(pipeline_->queued_records(), 0u);
  EXPECT_EQ(pipeline_->memory_in_use(), 0u);
}

TEST_F(PipelineTest, HealthComponentLivesWithThePipeline) {
  make_pipeline();
  EXPECT_TRUE(health_.snapshot().contains("pipeline"));
  pipeline_.reset();
  EXPECT_FALSE(health_.snapshot().contains("pipeline"));
}

}  // namespace
}  // namespace lc
