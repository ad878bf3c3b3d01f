// A sink that holds (SinkWriteOutcome::kHold: a misconfiguration, refused credentials) keeps its
// records: retried with backoff for as long as it takes, never dead-lettered (whatever
// pipeline.retry_limit says), the checkpoint waiting, /health naming the reason, one log line
// when the hold starts and one when it ends, and log_capturer_sink_held / _holds_total.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/fake_sink.hpp"
#include "pipeline/loop_thread.hpp"
#include "pipeline/pipeline.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::eventually;
using testing::FakeSink;
using testing::LoopThread;
using Clock = std::chrono::steady_clock;

const std::string kHeldId(64, 'h');
constexpr TimestampNs kHoldStart = 1'700'000'000'000'000'000;

// The default logger's lines while the test runs, to count them.
class LogCapture {
 public:
  LogCapture() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(1000)) {
    spdlog::default_logger()->sinks().push_back(sink_);
  }
  ~LogCapture() { spdlog::default_logger()->sinks().pop_back(); }
  std::size_t count(const std::string& part) const {
    std::size_t n = 0;
    for (const std::string& line : sink_->last_formatted()) n += line.find(part) != line.npos;
    return n;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
};

class SinkLaneHoldTest : public ::testing::Test {
 protected:
  SinkLaneHoldTest() {
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->id = kHeldId;
    container_ = metadata;
    config_.memory_limit_bytes = 64 * 1024 * 1024;
    config_.batch_max_records = 10;
    config_.flush_interval = 1ms;
    config_.retry_initial = 1ms;
    config_.retry_max = 2ms;
    config_.retry_limit = 2;  // would dead-letter a transiently failing batch at once
    sink_ = std::make_unique<FakeSink>(sink_loop_.executor(), "held");
  }

  ~SinkLaneHoldTest() override {
    if (pipeline_ && !pipeline_->stopped()) {
      pipeline_->stop(Clock::now());
      eventually([&] { return pipeline_->stopped(); }, 5s);
    }
    input_loop_.join();
    sink_loop_.join();
    pipeline_.reset();
  }

  void make_pipeline() {
    std::vector<SinkLane::Options> lanes;
    lanes.push_back(SinkLane::Options{*sink_, delivery_defaults(config_), nullptr});
    pipeline_ = std::make_unique<Pipeline>(
        config_, sink_loop_.executor(), std::move(lanes), tracker_, metrics_, health_,
        [this](const std::string&, const std::string&, const std::string&,
               std::span<const LogRecord> records) {
          std::lock_guard lock(mutex_);
          dead_letters_ += records.size();
          return true;
        });
    pipeline_->start();
  }

  std::future<void> submit(int count) {
    std::vector<LogRecord> group;
    for (int i = 0; i < count; ++i) {
      LogRecord& r = group.emplace_back();
      r.container = container_;
      r.time = kHoldStart + i;
      r.message = "m" + std::to_string(i);
    }
    return asio::co_spawn(
        input_loop_.context(),
        [this, group = std::move(group)]() mutable -> asio::awaitable<void> {
          tracker_.on_submitted(kHeldId, group.size(), group.back().position_after());
          co_await pipeline_->submit(std::move(group));
        },
        asio::use_future);
  }

  double series(const std::string& name) const {
    const std::string text = metrics_.render();
    const auto at = text.find("\n" + name + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + name.size() + 2));
  }
  std::size_t dead_letters() {
    std::lock_guard lock(mutex_);
    return dead_letters_;
  }

  LogCapture log_;  // first: it outlives the threads that log
  PipelineConfig config_;
  ContainerMetadataPtr container_;
  MetricsRegistry metrics_;
  HealthRegistry health_;
  CheckpointTracker tracker_;
  LoopThread input_loop_;
  LoopThread sink_loop_;
  std::unique_ptr<FakeSink> sink_;
  std::unique_ptr<Pipeline> pipeline_;
  std::mutex mutex_;
  std::size_t dead_letters_ = 0;
};

TEST_F(SinkLaneHoldTest, AHeldBatchIsRetriedPastTheRetryLimitAndNeverDeadLettered) {
  const SinkWriteOutcome held =
      SinkWriteOutcome::hold(SinkHoldCause::kMisconfiguration, "HTTP 404 Not Found");
  sink_->script({held, held, held, held, held});
  // What the pipeline shows while the sink holds, seen at each write (on the sink thread).
  struct Seen {
    bool acknowledged;
    bool healthy;
    std::string detail;
    double held_gauge;
  };
  std::vector<Seen> seen;
  sink_->on_write = [&](std::span<const LogRecord>) {
    const auto status = health_.snapshot()["sink.held"];
    seen.push_back({tracker_.positions().contains(kHeldId), status.healthy, status.detail,
                    series("log_capturer_sink_held{sink=\"held\"}")});
  };
  make_pipeline();
  auto done = submit(4);
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kHeldId); }));

  EXPECT_EQ(sink_->call_count(), 6u);  // 5 held answers, then delivered
  EXPECT_EQ(sink_->delivered_count(), 4u);
  EXPECT_EQ(dead_letters(), 0u);
  ASSERT_EQ(seen.size(), 6u);
  for (std::size_t call = 0; call < seen.size(); ++call) {
    EXPECT_FALSE(seen[call].acknowledged) << call;  // the checkpoint waits for the sink
    if (call == 0) continue;
    EXPECT_FALSE(seen[call].healthy) << call;
    EXPECT_EQ(seen[call].detail, "held: HTTP 404 Not Found") << call;
    EXPECT_EQ(seen[call].held_gauge, 1) << call;
  }
  EXPECT_TRUE(health_.snapshot().at("sink.held").healthy);
  EXPECT_EQ(series("log_capturer_sink_held{sink=\"held\"}"), 0);
  EXPECT_EQ(series("log_capturer_sink_holds_total{sink=\"held\",reason=\"misconfiguration\"}"), 1);
  EXPECT_EQ(series("log_capturer_sink_holds_total{sink=\"held\",reason=\"auth\"}"), 0);
  EXPECT_EQ(series("log_capturer_sink_retries_total{sink=\"held\"}"), 5);
  EXPECT_EQ(series("log_capturer_sink_records_dead_lettered_total{sink=\"held\"}"), 0);
  // One line when the hold starts, one when it ends: none per retry.
  EXPECT_EQ(log_.count("holds its records (misconfiguration): HTTP 404 Not Found"), 1u);
  EXPECT_EQ(log_.count("no longer holds its records"), 1u);
  EXPECT_EQ(log_.count("; retry "), 0u);
}

TEST_F(SinkLaneHoldTest, AnAnswerThatJudgesNoRecordDoesNotExhaustTheRetryLimit) {
  sink_->script({SinkWriteOutcome::retry_not_the_records("HTTP 421 Misdirected Request"),
                 SinkWriteOutcome::retry_not_the_records("HTTP 421 Misdirected Request"),
                 SinkWriteOutcome::retry_not_the_records("HTTP 421 Misdirected Request")});
  make_pipeline();
  auto done = submit(3);
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kHeldId); }));
  EXPECT_EQ(sink_->call_count(), 4u);
  EXPECT_EQ(sink_->delivered_count(), 3u);
  EXPECT_EQ(dead_letters(), 0u);
  EXPECT_EQ(series("log_capturer_sink_holds_total{sink=\"held\",reason=\"misconfiguration\"}"), 0);
}

TEST_F(SinkLaneHoldTest, AHoldEndsWhenTheSinkRefusesRecordsOfItsOwn) {
  sink_->script({SinkWriteOutcome::hold(SinkHoldCause::kAuth, "HTTP 401 Unauthorized"),
                 SinkWriteOutcome::rejected("entry out of order")});
  make_pipeline();
  auto done = submit(2);
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kHeldId); }));
  EXPECT_EQ(dead_letters(), 2u);
  EXPECT_EQ(series("log_capturer_sink_held{sink=\"held\"}"), 0);
  EXPECT_EQ(series("log_capturer_sink_holds_total{sink=\"held\",reason=\"auth\"}"), 1);
  EXPECT_EQ(log_.count("holds its records (auth): HTTP 401 Unauthorized"), 1u);
  EXPECT_EQ(log_.count("no longer holds its records"), 1u);
}

}  // namespace
}  // namespace lc
