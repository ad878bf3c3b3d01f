#include "processors/sample/sample_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

std::vector<LogRecord> records_of(const std::vector<std::pair<std::string, std::string>>& spec) {
  std::vector<LogRecord> records;
  for (const auto& [container, level] : spec) {
    LogRecord& record = records.emplace_back();
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->name = container;
    record.container = std::move(metadata);
    record.message = level;
    record.fields = RecordFields(FieldValue::Map{{"level", FieldValue(level)}});
  }
  return records;
}

std::string run_sample(const std::string& yaml, std::vector<LogRecord> records) {
  const AgentConfig config = one_processor_config(yaml);
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  chain.process(records);
  std::string kept;
  for (const LogRecord& record : records)
    kept += record.container->name + ":" + record.message + " ";
  return kept;
}

TEST(SampleProcessor, KeepsTheFirstAndEveryNthPerKeyAndAlwaysWhatItIsAsked) {
  EXPECT_EQ(
      run_sample("{type: sample, rate: 3, key: '{{ .container_name }}', always_keep: {fields: "
                 "{level: error}}}",
                 records_of({{"a", "1"},
                             {"a", "2"},
                             {"b", "1"},
                             {"a", "error"},
                             {"a", "3"},
                             {"a", "4"},
                             {"b", "2"},
                             {"b", "3"},
                             {"b", "4"}})),
      "a:1 b:1 a:error a:4 b:4 ");
}

TEST(SampleProcessor, ARateBelowTwoIsRefused) {
  EXPECT_THROW(parse_config_text("processors:\n  - {type: sample, rate: 1}\n", "c.yaml"),
               std::exception);
  EXPECT_THROW(parse_config_text("processors:\n  - {type: sample}\n", "c.yaml"), std::exception);
  EXPECT_THROW(
      parse_config_text("processors:\n  - {type: sample, rate: 2, always_keep: {}}\n", "c.yaml"),
      std::exception);
  const std::string problem =
      processor_config_problem("{type: sample, rate: 2, always_keep: {message: '(?=x)'}}");
  EXPECT_NE(problem.find("always_keep.message"), std::string::npos);
  EXPECT_EQ(problem.find("selects every record"), std::string::npos);
}

}  // namespace
}  // namespace lc
