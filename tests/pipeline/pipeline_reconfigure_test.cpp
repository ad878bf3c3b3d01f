// A reload applied to a running pipeline: the processors and routes are swapped as one
// snapshot, records already submitted keep the stages they were submitted with, and a stage
// that cannot be built leaves the running ones.
#include <gtest/gtest.h>

#include "pipeline/multi_sink_pipeline_fixture.hpp"
#include "processors/filter/filter_options.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;
using testing::eventually;
using testing::MultiSinkPipelineTest;
using testing::route;

ProcessorSpec drop_messages_matching(const std::string& name, const std::string& regex) {
  FilterOptions filter;
  filter.exclude.emplace();
  filter.exclude->message = regex;
  return ProcessorSpec{name, "filter", std::make_shared<FilterOptions>(std::move(filter))};
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
  pipeline_->replace_stages(second);
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
  EXPECT_THROW(pipeline_->replace_stages(broken), std::invalid_argument);
  std::vector<LogRecord> group = records_of("web", LogStream::kStdout, 0, 2);
  group[0].message = "a0";
  ASSERT_EQ(submit(std::move(group)).wait_for(5s), std::future_status::ready);
  ASSERT_TRUE(eventually([&] { return slow_->delivered_count() == 1; }));
  EXPECT_EQ(fast_->delivered(), (std::vector<std::string>{"m1"}));
}

}  // namespace
}  // namespace lc
