#include "processors/container_hints/container_hints_processor.hpp"

#include <gtest/gtest.h>

#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

LogRecord from(std::map<std::string, std::string> labels, std::string message) {
  LogRecord record;
  auto container = std::make_shared<ContainerMetadata>();
  container->name = "c";
  container->labels = std::move(labels);
  record.container = std::move(container);
  record.message = std::move(message);
  return record;
}

TEST(ContainerHintsProcessor, LabelsAskForParsingOrExclusionOfTheirOwnRecords) {
  const AgentConfig config = one_processor_config("{type: filter, exclude: {message: '^never$'}}");
  ASSERT_EQ(config.processors.front().type, "container_hints");  // first, by default
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch{
      from({{kParserHint, "json"}}, R"({"a":1})"),
      from({{kParserHint, "logfmt"}}, "k=v"),
      from({{kParserHint, "combined"}}, R"(1.2.3.4 - - [t] "GET / HTTP/1.1" 200 5 "-" "ua")"),
      from({{kParserHint, "syslog"}}, "<13>Dec  5 10:00:01 h app: hi"),
      from({{kExcludeHint, "true"}}, "gone"),
      from({{kExcludeHint, "false"}}, "stays"),
      from({{kParserHint, "yaml"}}, "unknown parser"),
      from({{kParserHint, "json"}}, "not json"),
      from({}, "no hints"),
  };
  chain.process(batch);
  ASSERT_EQ(batch.size(), 8u);
  auto fields = [&](std::size_t i) {
    std::string out;
    if (const FieldValue* map = batch[i].fields.get()) map->append_json(out);
    return out;
  };
  EXPECT_EQ(fields(0), R"({"a":1})");
  EXPECT_EQ(fields(1), R"({"k":"v"})");
  EXPECT_NE(fields(2).find(R"("status":200)"), std::string::npos);
  EXPECT_NE(fields(3).find(R"("appname":"app")"), std::string::npos);
  EXPECT_EQ(batch[4].message, "stays");
  EXPECT_EQ(fields(5), "");  // an unknown parser: unchanged, counted
  EXPECT_EQ(batch[6].message, "not json");
  const std::string text = metrics.render();
  EXPECT_NE(
      text.find("log_capturer_processor_records_dropped_total{processor=\"container_hints\"} 1"),
      std::string::npos);
  EXPECT_NE(text.find("log_capturer_processor_errors_total{processor=\"container_hints\"} 2"),
            std::string::npos);
}

TEST(ContainerHintsProcessor, OneSwitchTurnsThemOff) {
  const AgentConfig config = parse_config_text(
      "container_hints: false\nprocessors:\n  - {type: filter, exclude: {message: x}}\n", "c.yaml");
  ASSERT_EQ(config.processors.size(), 1u);
  EXPECT_EQ(config.processors[0].type, "filter");
}

}  // namespace
}  // namespace lc
