// A reload applied to a running pipeline: the processors, routes and lanes are swapped as one
// snapshot, records already submitted keep the stages they were submitted with, and a stage
// that cannot be built leaves the running ones. An added sink gets what is submitted after it;
// a replaced sink's lane keeps its queue and sends it to the new sink once the write in flight
// has ended; a removed sink's queue is dropped, counted, and its checkpoint share released.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "pipeline/multi_sink_pipeline_fixture.hpp"
#include "processors/filter/filter_options.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::FakeSink;
using testing::MultiSinkPipelineTest;
using testing::route;

ProcessorSpec drop_messages_matching(const std::string& name, const std::string& regex) {
  FilterOptions filter;
  filter.exclude.emplace();
  filter.exclude->message = regex;
  return ProcessorSpec{name, "filter", std::make_shared<FilterOptions>(std::move(filter)), {}};
}

TEST_F(MultiSinkPipelineTest, ReplacedStagesApplyToTheRecordsSubmittedAfterTheSwap) {
  Pipeline::Stages first;
  first.processors = {drop_messages_matching("drop_a", "^a")};
  make_pipeline({}, first);
  std::vector<LogRecord> group = records_of("web", LogStream::kStdout, 0, 3);
  group[0].message = "a0";
  group[1].message = "b1";
  ASSERT_EQ(submit(std::move(group)).wait_for(5s), std::future_status::ready);

  Pipeline::Stages second;
  second.processors = {drop_messages_matching("drop_b", "^b")};
  second.routes = {route({"slow"})};  // the fast sink gets nothing from now on
  pipeline_->reconfigure(second);
  group = records_of("web", LogStream::kStdout, 3, 3);
  group[0].message = "a3";
  group[1].message = "b4";
  ASSERT_EQ(submit(std::move(group)).wait_for(5s), std::future_status::ready);

  const std::string id(64, 'w');
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(id); }));
  EXPECT_EQ(fast_->delivered(), (std::vector<std::string>{"b1", "m2"}));
  EXPECT_EQ(slow_->delivered(), (std::vector<std::string>{"b1", "m2", "a3", "m5"}));
  EXPECT_EQ(tracker_.positions().at(id),
            records_of("web", LogStream::kStdout, 5, 1)[0].position_after());
  EXPECT_EQ(counter("log_capturer_processor_records_dropped_total{processor=\"drop_b\"}"), 1);
  // The replaced processor's series went with it.
  EXPECT_EQ(metrics_.render().find("processor=\"drop_a\""), std::string::npos);
}

TEST_F(MultiSinkPipelineTest, StagesThatCannotBeBuiltLeaveTheRunningOnes) {
  Pipeline::Stages first;
  first.processors = {drop_messages_matching("drop_a", "^a")};
  make_pipeline({}, first);
  Pipeline::Stages broken;
  broken.routes = {route({"nowhere"})};
  EXPECT_THROW(pipeline_->reconfigure(broken), std::invalid_argument);
  std::vector<LogRecord> group = records_of("web", LogStream::kStdout, 0, 2);
  group[0].message = "a0";
  ASSERT_EQ(submit(std::move(group)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return slow_->delivered_count() == 1; }));
  EXPECT_EQ(fast_->delivered(), (std::vector<std::string>{"m1"}));
}

// The messages of records(first, count): "m<i>" padded with dots to 16 characters.
std::vector<std::string> messages(int first, int count) {
  std::vector<std::string> out;
  for (int i = first; i < first + count; ++i) {
    out.push_back("m" + std::to_string(i));
    out.back().resize(16, '.');
  }
  return out;
}

// Collects the sinks released() reports, from the sink thread.
struct Releases {
  std::mutex mutex;
  std::vector<Sink*> sinks;
  SinkLane::Released callback() {
    return [this](Sink& sink) {
      std::lock_guard lock(mutex);
      sinks.push_back(&sink);
    };
  }
  std::vector<Sink*> seen() {
    std::lock_guard lock(mutex);
    return sinks;
  }
};

TEST_F(MultiSinkPipelineTest, AnAddedSinkGetsWhatIsSubmittedAfterIt) {
  make_pipeline();
  ASSERT_EQ(submit(records(0, 5)).wait_for(5s), std::future_status::ready);
  FakeSink& extra = another_sink("extra");
  Pipeline::Stages stages;
  stages.routes = {route({"extra"}, {"web"})};
  pipeline_->reconfigure(stages, {{{extra, delivery_defaults(config_), nullptr}}, {}, {}, {}});
  EXPECT_TRUE(pipeline_->has_sink("extra"));
  ASSERT_EQ(submit(records_of("web", LogStream::kStdout, 5, 3)).wait_for(5s),
            std::future_status::ready);
  const std::string id(64, 'w');
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(id); }));
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(testing::kId); }));
  EXPECT_EQ(extra.delivered(), (std::vector<std::string>{"m5", "m6", "m7"}));
  EXPECT_EQ(fast_->delivered(), messages(0, 5));
  EXPECT_EQ(slow_->delivered(), messages(0, 5));
}

TEST_F(MultiSinkPipelineTest, ARemovedSinkDropsWhatItHoldsAndReleasesItsShareOfTheCheckpoint) {
  slow_->close_gate();  // its first batch of 10 waits at the gate, 15 records behind it
  make_pipeline();
  ASSERT_EQ(submit(records(0, 25)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 25; }));
  ASSERT_TRUE(eventually([&] { return pipeline_->queued_records() == 15; }));
  EXPECT_TRUE(tracker_.has_undelivered(testing::kId));  // the slow sink holds it back
  Releases releases;
  pipeline_->reconfigure({}, {{}, {}, {"slow"}, releases.callback()});
  EXPECT_FALSE(pipeline_->has_sink("slow"));
  // The records it held are released at once: the checkpoint passes them.
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(testing::kId); }));
  EXPECT_EQ(tracker_.positions().at(testing::kId), records(24, 1)[0].position_after());
  EXPECT_EQ(counter("log_capturer_sink_removed_records_dropped_total{sink=\"slow\"}"), 15);
  EXPECT_TRUE(releases.seen().empty());  // its write is still in flight
  slow_->open_gate();
  ASSERT_TRUE(eventually([&] { return releases.seen() == std::vector<Sink*>{slow_.get()}; }));
  EXPECT_EQ(slow_->delivered(), messages(0, 10));  // the write in flight, nothing after it
  ASSERT_EQ(submit(records(25, 5)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return fast_->delivered_count() == 30; }));
  EXPECT_EQ(slow_->delivered_count(), 10u);
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
  EXPECT_EQ(metrics_.render().find("log_capturer_sink_queued_records{sink=\"slow\"}"),
            std::string::npos);  // the lane is gone with its series
}

TEST_F(MultiSinkPipelineTest, AReplacedSinkKeepsItsQueueAndSendsTheRestToTheNewSink) {
  slow_->close_gate();
  make_pipeline();
  ASSERT_EQ(submit(records(0, 25)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return pipeline_->queued_records() == 15; }));
  FakeSink& replacement = another_sink("slow");
  SinkDeliveryConfig smaller = delivery_defaults(config_);
  smaller.batch.max_records = 4;
  Releases releases;
  pipeline_->reconfigure({}, {{}, {{replacement, smaller, nullptr}}, {}, releases.callback()});
  std::this_thread::sleep_for(30ms);
  EXPECT_TRUE(releases.seen().empty());  // the old sink's write is in flight
  EXPECT_EQ(replacement.call_count(), 0u);
  slow_->open_gate();
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(testing::kId); }));
  EXPECT_EQ(releases.seen(), std::vector<Sink*>{slow_.get()});
  EXPECT_EQ(slow_->delivered(), messages(0, 10));
  EXPECT_EQ(replacement.delivered(), messages(10, 15));  // each record once, in order
  EXPECT_EQ(replacement.batch_sizes(), (std::vector<std::size_t>{4, 4, 4, 3}));
  EXPECT_EQ(fast_->delivered(), messages(0, 25));
}

TEST_F(MultiSinkPipelineTest, ASinkReplacedAgainBeforeItsFirstWriteIsReleasedUnused) {
  slow_->close_gate();
  make_pipeline();
  ASSERT_EQ(submit(records(0, 25)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return pipeline_->queued_records() == 15; }));
  FakeSink& second = another_sink("slow");
  FakeSink& third = another_sink("slow");
  Releases releases;
  const SinkDeliveryConfig delivery = delivery_defaults(config_);
  pipeline_->reconfigure({}, {{}, {{second, delivery, nullptr}}, {}, releases.callback()});
  pipeline_->reconfigure({}, {{}, {{third, delivery, nullptr}}, {}, releases.callback()});
  ASSERT_TRUE(eventually([&] { return releases.seen() == std::vector<Sink*>{&second}; }));
  slow_->open_gate();  // the first one's write ends: it is released, the third takes over
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(testing::kId); }));
  EXPECT_EQ(releases.seen(), (std::vector<Sink*>{&second, slow_.get()}));
  EXPECT_EQ(second.call_count(), 0u);
  EXPECT_EQ(third.delivered(), messages(10, 15));
}

TEST_F(MultiSinkPipelineTest, AReplacementCutsTheOldSinksRetryPauseShort) {
  SinkDeliveryConfig patient = delivery_defaults(config_);
  patient.retry.initial = 20s;
  patient.retry.max = 20s;
  slow_->answer_by_default(SinkWriteOutcome::retry("connection refused"));
  make_pipeline(patient);
  ASSERT_EQ(submit(records(0, 5)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return slow_->call_count() >= 1; }));  // now pausing 20 s
  FakeSink& replacement = another_sink("slow");
  Releases releases;
  pipeline_->reconfigure({}, {{}, {{replacement, patient, nullptr}}, {}, releases.callback()});
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(testing::kId); }, 3s));
  EXPECT_EQ(replacement.delivered(), messages(0, 5));
  EXPECT_EQ(releases.seen(), std::vector<Sink*>{slow_.get()});
}

TEST_F(MultiSinkPipelineTest, ARemovedFailingSinkLeavesNoHealthEntryAndNoRedeliveryDone) {
  slow_->answer_by_default(SinkWriteOutcome::retry("503"));
  make_pipeline();
  std::atomic<bool> done{false};
  auto alive = std::make_shared<int>(0);
  const std::weak_ptr<int> redelivery_kept = alive;
  ASSERT_TRUE(pipeline_->redeliver(
      "slow", records(0, 3), [&done, alive = std::move(alive)](std::uint64_t) { done = true; }));
  ASSERT_TRUE(eventually([&] { return slow_->call_count() >= 2; }));
  ASSERT_NE(health_.to_json().find("sink.slow"), std::string::npos);
  Releases releases;
  pipeline_->reconfigure({}, {{}, {}, {"slow"}, releases.callback()});
  ASSERT_TRUE(eventually([&] { return !releases.seen().empty(); }));
  std::this_thread::sleep_for(20ms);
  // The dead letters being redelivered were not delivered: their entries are released, kept.
  EXPECT_FALSE(done.load());
  EXPECT_TRUE(eventually([&] { return redelivery_kept.expired(); }));
  EXPECT_EQ(health_.to_json().find("sink.slow"), std::string::npos) << health_.to_json();
}

// Sinks come and go while records flow and metrics are scraped: every record reaches the fast
// sink once, checkpoints pass every group, and nothing is left held (run it under ASan).
TEST_F(MultiSinkPipelineTest, SinksComingAndGoingUnderLoadLoseNothingTheOthersHold) {
  config_.memory_limit_bytes = 4 * 1024;  // submits wait for room: old snapshots stay in use
  make_pipeline();
  std::atomic<bool> scraping{true};
  std::thread scraper([&] {
    while (scraping) metrics_.render();
  });
  std::vector<std::future<void>> submitted;
  int next = 0;
  for (int round = 0; round < 30; ++round) {
    FakeSink& extra = another_sink("extra");
    if (round % 3 == 0) extra.answer_by_default(SinkWriteOutcome::retry("down"));
    pipeline_->reconfigure({}, {{{extra, delivery_defaults(config_), nullptr}}, {}, {}, {}});
    for (int i = 0; i < 3; ++i, next += 20) submitted.push_back(submit(records(next, 20)));
    pipeline_->reconfigure({}, {{}, {}, {"extra"}, {}});
    submitted.push_back(submit(records(next, 20)));
    next += 20;
  }
  for (auto& done : submitted) ASSERT_EQ(done.wait_for(10s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return !tracker_.has_undelivered(testing::kId); }, 10s));
  scraping = false;
  scraper.join();
  EXPECT_EQ(fast_->delivered(), messages(0, next));
  EXPECT_EQ(slow_->delivered(), messages(0, next));
  ASSERT_TRUE(eventually([&] { return pipeline_->memory_in_use() == 0; }));
}

}  // namespace
}  // namespace lc
