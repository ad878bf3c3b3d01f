// The pipeline with several sinks: each sink gets every record, a checkpoint moves only when
// every sink has a group of records, a slow sink does not hold the others back, a drop_newest
// sink never blocks the inputs nor lets a checkpoint pass what it holds, and the records a
// sink refuses (only those) go to the dead-letter hook. With routes, each record goes only to
// the sinks of the routes it matches; records a processor drops or no route takes still move
// their source's checkpoint, in order.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "pipeline/multi_sink_pipeline_fixture.hpp"
#include "processors/filter/filter_options.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::kId;
using testing::MultiSinkPipelineTest;
using testing::route;
using Clock = std::chrono::steady_clock;

TEST_F(MultiSinkPipelineTest, EverySinkGetsEveryRecordAndTheCheckpointWaitsForTheSlowest) {
  slow_->close_gate();
  make_pipeline();
  auto done = submit(records(0, 25));
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 25; }));
  // The fast sink has everything; the checkpoint still waits for the slow one.
  EXPECT_FALSE(tracker_.positions().contains(kId));
  EXPECT_TRUE(tracker_.has_undelivered(kId));
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 0);
  slow_->open_gate();
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(slow_->delivered().size(), 25u);
  EXPECT_EQ(tracker_.positions().at(kId), records(24, 1)[0].position_after());
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 25);
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

TEST_F(MultiSinkPipelineTest, ASlowBlockingSinkStopsTheInputsAtTheMemoryBound) {
  config_.memory_limit_bytes = 64 * 1024;
  slow_->close_gate();
  make_pipeline();
  std::vector<std::future<void>> submits;
  for (int i = 0; i < 40; ++i) submits.push_back(submit(records(i * 10, 10, 1000)));
  // ~500 KiB offered, 64 KiB allowed (each sink's copy counts): submits wait.
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() > 0; }));
  std::this_thread::sleep_for(50ms);
  EXPECT_LE(pipeline_->memory_in_use(), config_.memory_limit_bytes + 2 * 11 * 1100);
  EXPECT_EQ(submits.back().wait_for(0s), std::future_status::timeout);
  slow_->open_gate();
  for (auto& f : submits) ASSERT_EQ(f.wait_for(10s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(fast_->delivered().size(), 400u);
  EXPECT_EQ(slow_->delivered().size(), 400u);
}

TEST_F(MultiSinkPipelineTest, ADropNewestSinkNeverBlocksAndCountsWhatItDropped) {
  config_.memory_limit_bytes = 64 * 1024;
  SinkDeliveryConfig drop = delivery_defaults(config_);
  drop.when_full = SinkDeliveryConfig::WhenFull::kDropNewest;
  drop.max_queued_bytes = 16 * 1024;
  slow_->close_gate();
  make_pipeline(drop);
  for (int i = 0; i < 40; ++i) {
    auto f = submit(records(i * 10, 10, 1000));
    ASSERT_EQ(f.wait_for(5s), std::future_status::ready) << "submit " << i << " blocked";
  }
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 400; }));
  const std::string text = metrics_.render();
  const std::string series = "log_capturer_sink_records_dropped_total{sink=\"slow\"} ";
  const auto at = text.find(series);
  ASSERT_NE(at, std::string::npos);
  const double dropped = std::stod(text.substr(at + series.size()));
  EXPECT_GT(dropped, 300);
  slow_->open_gate();
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(slow_->delivered().size() + static_cast<std::size_t>(dropped), 400u);
}

TEST_F(MultiSinkPipelineTest, ACheckpointNeverPassesRecordsADropNewestSinkStillHolds) {
  // The slow sink takes the first group and drops the later ones (full): they finish at the
  // fast sink first, but the checkpoint must wait for the first group.
  SinkDeliveryConfig drop = delivery_defaults(config_);
  drop.when_full = SinkDeliveryConfig::WhenFull::kDropNewest;
  drop.max_queued_bytes = 16 * 1024;
  slow_->close_gate();
  make_pipeline(drop);
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(submit(records(i * 10, 10, 1000)).wait_for(5s), std::future_status::ready);
  }
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 200; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(tracker_.positions().contains(kId))
      << "the checkpoint moved past records the slow sink has not acknowledged";
  slow_->open_gate();
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(tracker_.positions().at(kId), records(199, 1).back().position_after());
}

TEST_F(MultiSinkPipelineTest, RecordsASinkRefusesGoToTheDeadLettersOfThatSink) {
  slow_->script({SinkWriteOutcome::rejected("entry out of order")});
  make_pipeline();
  auto done = submit(records(0, 10));
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  std::lock_guard lock(mutex_);
  ASSERT_EQ(dead_letters_.size(), 10u);
  EXPECT_EQ(dead_letters_[0].substr(0, 34), "slow/rejected/entry out of order/m");
  EXPECT_EQ(fast_->delivered().size(), 10u);
  EXPECT_EQ(counter("log_capturer_pipeline_records_rejected_total"), 10);
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 0);
}

TEST_F(MultiSinkPipelineTest, OnlyTheRecordsASinkRefusedOfASplitBatchAreDeadLettered) {
  slow_->script({SinkWriteOutcome::rejected_some("too large", {1, 3})});
  make_pipeline();
  ASSERT_EQ(submit(records(0, 5)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  {
    std::lock_guard lock(mutex_);
    ASSERT_EQ(dead_letters_.size(), 2u);
    EXPECT_TRUE(dead_letters_[0].starts_with("slow/rejected/too large/m1.")) << dead_letters_[0];
    EXPECT_TRUE(dead_letters_[1].starts_with("slow/rejected/too large/m3.")) << dead_letters_[1];
  }
  EXPECT_EQ(counter("log_capturer_pipeline_records_rejected_total"), 2);
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 3);
  // How late each sink's copy is: only of what it took.
  EXPECT_EQ(counter("log_capturer_sink_delivery_delay_seconds_count{sink=\"slow\"}"), 3);
  EXPECT_EQ(counter("log_capturer_sink_delivery_delay_seconds_count{sink=\"fast\"}"), 5);
}

TEST_F(MultiSinkPipelineTest, RecordsAreKeptWhileTheDeadLetterStoreCannotTakeThem) {
  slow_->script({SinkWriteOutcome::rejected("bad")});
  refuse_dead_letters_ = true;
  make_pipeline();
  auto done = submit(records(0, 5));
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 5; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_TRUE(tracker_.has_undelivered(kId));  // not acknowledged: nothing lost
  {
    std::lock_guard lock(mutex_);
    refuse_dead_letters_ = false;
  }
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  std::lock_guard lock(mutex_);
  EXPECT_EQ(dead_letters_.size(), 5u);
}

TEST_F(MultiSinkPipelineTest, RetryLimitSendsAFailingBatchToTheDeadLetters) {
  config_.retry_limit = 3;
  slow_->answer_by_default(SinkWriteOutcome::retry("503"));
  make_pipeline();
  auto done = submit(records(0, 4));
  ASSERT_EQ(done.wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(slow_->call_count(), 3u);
  std::lock_guard lock(mutex_);
  ASSERT_EQ(dead_letters_.size(), 4u);
  EXPECT_EQ(dead_letters_[0].substr(0, 27), "slow/retries_exhausted/503/");
}

// A write that failed after the sink had delivered part of the batch (a split's half, messages
// acknowledged before others failed): when the retries run out, only the rest become dead
// letters, since a replay of the delivered ones would send them twice.
TEST_F(MultiSinkPipelineTest, RetryLimitDeadLettersOnlyWhatTheSinkHasNotDelivered) {
  config_.retry_limit = 3;
  SinkWriteOutcome partly = SinkWriteOutcome::retry("503");
  partly.delivered_records = {0, 2};
  slow_->answer_by_default(partly);
  make_pipeline();
  ASSERT_EQ(submit(records(0, 4)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(slow_->call_count(), 3u);
  {
    std::lock_guard lock(mutex_);
    ASSERT_EQ(dead_letters_.size(), 2u);
    EXPECT_TRUE(dead_letters_[0].starts_with("slow/retries_exhausted/503/m1.")) << dead_letters_[0];
    EXPECT_TRUE(dead_letters_[1].starts_with("slow/retries_exhausted/503/m3.")) << dead_letters_[1];
  }
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 2);
  EXPECT_EQ(counter("log_capturer_sink_delivery_delay_seconds_count{sink=\"slow\"}"), 2);
}

// Each try reports only what it delivered itself (a reload's new instance knows nothing of the
// old one's): the lane keeps all of it, and only the rest become dead letters.
TEST_F(MultiSinkPipelineTest, RetryLimitKeepsWhatEachTryDelivered) {
  config_.retry_limit = 3;
  SinkWriteOutcome first = SinkWriteOutcome::retry("503");
  first.delivered_records = {0};
  SinkWriteOutcome second = SinkWriteOutcome::retry("503");
  second.delivered_records = {2};
  slow_->script({first, second, SinkWriteOutcome::retry("503")});
  make_pipeline();
  ASSERT_EQ(submit(records(0, 4)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  {
    std::lock_guard lock(mutex_);
    ASSERT_EQ(dead_letters_.size(), 2u);
    EXPECT_TRUE(dead_letters_[0].starts_with("slow/retries_exhausted/503/m1.")) << dead_letters_[0];
    EXPECT_TRUE(dead_letters_[1].starts_with("slow/retries_exhausted/503/m3.")) << dead_letters_[1];
  }
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 2);
  // Each delivered record's delay counted once, when the lane learnt of it.
  EXPECT_EQ(counter("log_capturer_sink_delivery_delay_seconds_count{sink=\"slow\"}"), 2);
}

// A hold, however long, judges no record: it leaves the retry limit whole for the failures that
// come after it.
TEST_F(MultiSinkPipelineTest, AttemptsWhileHeldDoNotCountTowardTheRetryLimit) {
  config_.retry_limit = 3;
  const SinkWriteOutcome held = SinkWriteOutcome::hold(SinkHoldCause::kAuth, "401");
  slow_->script({held, held, held, held, SinkWriteOutcome::retry("503"),
                 SinkWriteOutcome::retry_not_the_records("404"), SinkWriteOutcome::retry("503")});
  make_pipeline();
  ASSERT_EQ(submit(records(0, 2)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(slow_->call_count(), 8u);
  EXPECT_EQ(slow_->delivered_count(), 2u);
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(dead_letters_.empty());
}

// The sink had every record after all (its last step failed, not a record): nothing is lost to
// the dead letters.
TEST_F(MultiSinkPipelineTest, RetryLimitDeadLettersNothingTheSinkDeliveredWhole) {
  config_.retry_limit = 2;
  SinkWriteOutcome all_there = SinkWriteOutcome::retry("503");
  all_there.delivered_records = {0, 1, 2};
  slow_->answer_by_default(all_there);
  make_pipeline();
  ASSERT_EQ(submit(records(0, 3)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(dead_letters_.empty());
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 3);
}

// sinks.<name>.batch and .retry: each lane batches and retries by its own sink's keys.
TEST_F(MultiSinkPipelineTest, EachSinkBatchesAndRetriesByItsOwnKeys) {
  SinkDeliveryConfig slow = delivery_defaults(config_);
  slow.batch.max_records = 3;
  slow.retry.limit = 2;
  slow_->script({SinkWriteOutcome::retry("503"), SinkWriteOutcome::retry("503")});
  make_pipeline(slow);
  ASSERT_EQ(submit(records(0, 9)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(fast_->batch_sizes(), (std::vector<std::size_t>{9}));  // config_: 10 a batch
  EXPECT_EQ(slow_->delivered_count(), 6u);  // the first batch failed twice: its limit
  std::lock_guard lock(mutex_);
  ASSERT_EQ(dead_letters_.size(), 3u);
  EXPECT_EQ(dead_letters_[0].substr(0, 27), "slow/retries_exhausted/503/");
}

// sinks.<name>.dead_letters: false: what that sink refuses is dropped (counted), never stored.
TEST_F(MultiSinkPipelineTest, ASinkWithoutDeadLettersDropsWhatItRefusesAndCountsIt) {
  SinkDeliveryConfig slow = delivery_defaults(config_);
  slow.dead_letters = false;
  slow_->script({SinkWriteOutcome::rejected("entry out of order")});
  make_pipeline(slow);
  ASSERT_EQ(submit(records(0, 10)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(kId); }));
  EXPECT_EQ(counter("log_capturer_sink_records_dead_lettered_total{sink=\"slow\"}"), 10);
  std::lock_guard lock(mutex_);
  EXPECT_TRUE(dead_letters_.empty());
}

TEST_F(MultiSinkPipelineTest, RedeliverSendsToOneSinkWithoutMovingCheckpoints) {
  make_pipeline();
  EXPECT_TRUE(pipeline_->has_sink("slow"));
  EXPECT_FALSE(pipeline_->has_sink("nope"));
  EXPECT_TRUE(pipeline_->redeliver("slow", records(0, 3)));
  EXPECT_FALSE(pipeline_->redeliver("nope", records(0, 3)));
  ASSERT_TRUE(eventually([&] { return slow_->delivered_count() == 3; }));
  std::this_thread::sleep_for(20ms);
  EXPECT_EQ(fast_->delivered_count(), 0u);
  EXPECT_TRUE(tracker_.positions().empty());
}

// A dead-letter replay removes entries on this completion: it must come only once the sink
// has the records (or refused them again and they were dead-lettered anew).
TEST_F(MultiSinkPipelineTest, ARedeliveryIsDoneOnlyOnceTheSinkHasTheRecords) {
  std::atomic<int> done_calls{0};
  std::atomic<std::uint64_t> refused{99};
  std::atomic<int> done_expected{0};  // before the redelivery being written is done
  std::atomic<bool> done_before_the_write_returned{false};
  slow_->on_write = [&](std::span<const LogRecord>) {
    if (done_calls.load() != done_expected.load()) done_before_the_write_returned = true;
  };
  slow_->script({SinkWriteOutcome::retry("503"), SinkWriteOutcome::delivered(),
                 SinkWriteOutcome::rejected_some("400", {1})});
  make_pipeline();
  ASSERT_TRUE(pipeline_->redeliver("slow", records(0, 3), [&](std::uint64_t count) {
    refused = count;
    ++done_calls;
  }));
  ASSERT_TRUE(eventually([&] { return done_calls.load() == 1; }));
  EXPECT_FALSE(done_before_the_write_returned.load());
  EXPECT_EQ(refused.load(), 0u);
  EXPECT_EQ(slow_->call_count(), 2u);  // one retry, then delivered

  done_expected = 1;
  ASSERT_TRUE(pipeline_->redeliver("slow", records(3, 3), [&](std::uint64_t count) {
    refused = count;
    ++done_calls;
  }));
  ASSERT_TRUE(eventually([&] { return done_calls.load() == 2; }));
  EXPECT_FALSE(done_before_the_write_returned.load());
  EXPECT_EQ(refused.load(), 1u);
  std::lock_guard lock(mutex_);
  EXPECT_EQ(dead_letters_.size(), 1u);  // stored anew before the completion
}

TEST_F(MultiSinkPipelineTest, ARedeliveryTheLaneNeverDeliversBeforeStopIsNeverDone) {
  slow_->answer_by_default(SinkWriteOutcome::retry("503"));
  make_pipeline();
  std::atomic<bool> done{false};
  auto alive = std::make_shared<int>(0);
  const std::weak_ptr<int> redelivery_kept = alive;
  ASSERT_TRUE(pipeline_->redeliver(
      "slow", records(0, 3), [&done, alive = std::move(alive)](std::uint64_t) { done = true; }));
  ASSERT_TRUE(eventually([&] { return slow_->call_count() >= 2; }));
  pipeline_->stop(Clock::now());
  ASSERT_TRUE(eventually([&] { return pipeline_->stopped(); }));
  EXPECT_FALSE(done.load());
  input_loop_.join();
  sink_loop_.join();
  pipeline_.reset();
  EXPECT_FALSE(done.load());
  EXPECT_TRUE(redelivery_kept.expired());  // dropped uncalled: the entries are released
}

TEST_F(MultiSinkPipelineTest, EachRecordGoesToTheSinksOfEveryRouteItMatches) {
  Pipeline::Stages stages;
  stages.routes = {route({"fast"}, {"web*"}), route({"slow"}, {}, {"stderr"})};
  make_pipeline({}, stages);
  // One group per container and stream, and one group mixing both streams.
  ASSERT_EQ(submit(records_of("web", LogStream::kStdout, 0, 3)).wait_for(5s),
            std::future_status::ready);
  ASSERT_EQ(submit(records_of("db", LogStream::kStdout, 0, 4)).wait_for(5s),
            std::future_status::ready);
  std::vector<LogRecord> mixed = records_of("app", LogStream::kStdout, 10, 2);
  for (LogRecord& r : records_of("app", LogStream::kStderr, 12, 2)) mixed.push_back(std::move(r));
  ASSERT_EQ(submit(std::move(mixed)).wait_for(5s), std::future_status::ready);
  ASSERT_EQ(submit(records_of("web", LogStream::kStderr, 3, 2, "e")).wait_for(5s),
            std::future_status::ready);
  for (const char* name : {"web", "db", "app"}) {
    const std::string id(64, name[0]);
    ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(id); })) << name;
  }
  EXPECT_EQ(fast_->delivered(), (std::vector<std::string>{"m0", "m1", "m2", "e3", "e4"}));
  EXPECT_EQ(slow_->delivered(), (std::vector<std::string>{"m12", "m13", "e3", "e4"}));
  // db's stdout and app's stdout matched no route: counted, and their checkpoints still move.
  EXPECT_EQ(counter("log_capturer_router_records_unrouted_total"), 6);
  EXPECT_EQ(tracker_.positions().at(std::string(64, 'd')),
            records_of("db", LogStream::kStdout, 3, 1)[0].position_after());
  // Each stream of app just after its own last record.
  EXPECT_EQ(
      tracker_.positions().at(std::string(64, 'a')),
      ContainerPosition::later(records_of("app", LogStream::kStdout, 11, 1)[0].position_after(),
                               records_of("app", LogStream::kStderr, 13, 1)[0].position_after()));
  EXPECT_EQ(counter("log_capturer_pipeline_records_in_total"), 13);
  EXPECT_EQ(counter("log_capturer_pipeline_records_delivered_total"), 7);
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

TEST_F(MultiSinkPipelineTest, AFilterDropsRecordsAndTheCheckpointStillPassesThem) {
  Pipeline::Stages stages;
  FilterOptions filter;
  filter.exclude.emplace();
  filter.exclude->message = "^debug";
  stages.processors = {
      ProcessorSpec{"no_debug", "filter", std::make_shared<FilterOptions>(std::move(filter)), {}}};
  make_pipeline({}, stages);
  std::vector<LogRecord> group = records_of("web", LogStream::kStdout, 0, 4);
  group[1].message = "debug: noisy";
  group[3].message = "debug: the last one";
  ASSERT_EQ(submit(std::move(group)).wait_for(5s), std::future_status::ready);
  const std::string id(64, 'w');
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(id); }));
  EXPECT_EQ(fast_->delivered(), (std::vector<std::string>{"m0", "m2"}));
  EXPECT_EQ(slow_->delivered(), (std::vector<std::string>{"m0", "m2"}));
  EXPECT_EQ(tracker_.positions().at(id),
            records_of("web", LogStream::kStdout, 3, 1)[0].position_after());
  EXPECT_EQ(counter("log_capturer_processor_records_in_total{processor=\"no_debug\"}"), 4);
  EXPECT_EQ(counter("log_capturer_processor_records_dropped_total{processor=\"no_debug\"}"), 2);
}

TEST_F(MultiSinkPipelineTest, AGroupFilteredOutEntirelyMovesTheCheckpointOnlyAfterEarlierGroups) {
  Pipeline::Stages stages;
  FilterOptions filter;
  filter.include.emplace();
  filter.include->streams = {"stderr"};
  stages.processors = {ProcessorSpec{
      "stderr_only", "filter", std::make_shared<FilterOptions>(std::move(filter)), {}}};
  slow_->close_gate();
  make_pipeline({}, stages);
  ASSERT_EQ(submit(records_of("web", LogStream::kStderr, 0, 3)).wait_for(5s),
            std::future_status::ready);
  ASSERT_EQ(submit(records_of("web", LogStream::kStdout, 3, 3)).wait_for(5s),
            std::future_status::ready);
  const std::string id(64, 'w');
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 3; }));
  std::this_thread::sleep_for(30ms);
  EXPECT_FALSE(tracker_.positions().contains(id))
      << "the filtered group moved the checkpoint past records the slow sink holds";
  slow_->open_gate();
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(id); }));
  EXPECT_EQ(
      tracker_.positions().at(id),
      ContainerPosition::later(records_of("web", LogStream::kStderr, 2, 1)[0].position_after(),
                               records_of("web", LogStream::kStdout, 5, 1)[0].position_after()));
  EXPECT_EQ(slow_->delivered(), (std::vector<std::string>{"m0", "m1", "m2"}));
}

TEST_F(MultiSinkPipelineTest, ARouteToAnUnknownSinkIsRefused) {
  Pipeline::Stages stages;
  stages.routes = {route({"nowhere"})};
  EXPECT_THROW(make_pipeline({}, stages), std::invalid_argument);
}

}  // namespace
}  // namespace lc
