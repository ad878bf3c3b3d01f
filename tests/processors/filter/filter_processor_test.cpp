#include "processors/filter/filter_processor.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <stdexcept>

#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"

namespace lc {
namespace {

std::vector<LogRecord> records(const std::string& container_name, std::vector<std::string> messages,
                               LogStream stream = LogStream::kStdout) {
  auto container = std::make_shared<ContainerMetadata>();
  container->name = container_name;
  std::vector<LogRecord> out;
  for (std::string& message : messages) {
    LogRecord& record = out.emplace_back();
    record.container = container;
    record.stream = stream;
    record.message = std::move(message);
  }
  return out;
}

std::vector<std::string> messages(const std::vector<LogRecord>& records) {
  std::vector<std::string> out;
  for (const LogRecord& record : records) out.push_back(record.message);
  return out;
}

ProcessorSpec spec_of(std::string name, const FilterOptions& options) {
  return ProcessorSpec{std::move(name), "filter", std::make_shared<FilterOptions>(options), {}};
}

TEST(FilterProcessorTest, ExcludeDropsMatchingRecordsKeepingTheOrder) {
  FilterOptions config;
  config.exclude.emplace();
  config.exclude->message = "health";
  FilterProcessor filter("f", config);
  auto batch = records("web", {"a", "GET /health", "b", "c /health"});
  filter.process(batch);
  EXPECT_EQ(messages(batch), (std::vector<std::string>{"a", "b"}));
}

TEST(FilterProcessorTest, IncludeKeepsOnlyMatchingRecordsThenExcludeApplies) {
  FilterOptions config;
  config.include.emplace();
  config.include->streams = {"stderr"};
  config.exclude.emplace();
  config.exclude->message = "^debug";
  FilterProcessor filter("f", config);
  auto out = records("web", {"x"}, LogStream::kStdout);
  filter.process(out);
  EXPECT_TRUE(out.empty());
  auto err = records("web", {"debug 1", "error 2"}, LogStream::kStderr);
  filter.process(err);
  EXPECT_EQ(messages(err), (std::vector<std::string>{"error 2"}));
}

TEST(FilterProcessorTest, ADecisionOnTheSourceHoldsForAGroupMixingSources) {
  FilterOptions config;
  config.exclude.emplace();
  config.exclude->container_names = {"noisy"};
  FilterProcessor filter("f", config);
  auto batch = records("noisy", {"n1", "n2"});
  for (LogRecord& record : records("quiet", {"q1"})) batch.push_back(std::move(record));
  filter.process(batch);
  EXPECT_EQ(messages(batch), (std::vector<std::string>{"q1"}));
  auto all_noisy = records("noisy", {"n1", "n2"});
  filter.process(all_noisy);
  EXPECT_TRUE(all_noisy.empty());
}

TEST(FilterProcessorTest, NeedsIncludeOrExclude) {
  EXPECT_THROW(FilterProcessor("f", FilterOptions{}), std::invalid_argument);
}

TEST(ProcessorChainTest, RunsProcessorsInOrderAndCountsWhatEachDropped) {
  FilterOptions first;
  first.exclude.emplace();
  first.exclude->message = "^debug";
  FilterOptions second;
  second.exclude.emplace();
  second.exclude->message = "health";
  MetricsRegistry metrics;
  ProcessorChain chain({spec_of("no_debug", first), spec_of("no_health", second)}, metrics);
  auto batch = records("web", {"debug a", "ok", "health", "debug health"});
  chain.process(batch);
  EXPECT_EQ(messages(batch), (std::vector<std::string>{"ok"}));
  const std::string text = metrics.render();
  EXPECT_NE(text.find("log_capturer_processor_records_in_total{processor=\"no_debug\"} 4"),
            std::string::npos);
  EXPECT_NE(text.find("log_capturer_processor_records_dropped_total{processor=\"no_debug\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("log_capturer_processor_records_in_total{processor=\"no_health\"} 2"),
            std::string::npos);
  EXPECT_NE(text.find("log_capturer_processor_records_dropped_total{processor=\"no_health\"} 1"),
            std::string::npos);
}

}  // namespace
}  // namespace lc
