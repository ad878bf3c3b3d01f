#include "processors/log_to_metric/log_to_metric_processor.hpp"

#include <gtest/gtest.h>

#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

LogRecord record(const std::string& container, const std::string& level, double took) {
  LogRecord made;
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->name = container;
  made.container = std::move(metadata);
  made.message = "x";
  made.fields =
      RecordFields(FieldValue::Map{{"level", FieldValue(level)}, {"took", FieldValue(took)}});
  return made;
}

bool has(const std::string& text, const std::string& line) {
  return text.find(line + "\n") != std::string::npos;
}

TEST(LogToMetricProcessor, CountsByLabelsAndObservesAField) {
  const AgentConfig config = one_processor_config(
      "{type: log_to_metric, metrics: [{name: records, labels: {level: '{{ .fields.level }}', "
      "container: '{{ .container_name }}'}}, {name: took_seconds, type: histogram, field: took, "
      "buckets: [0.1, 1], help: Time taken.}]}");
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch{record("web", "error", 0.05), record("web", "error", 0.5),
                               record("db", "info", 5)};
  LogRecord no_field;
  no_field.message = "y";
  batch.push_back(no_field);
  chain.process(batch);
  EXPECT_EQ(batch.size(), 4u);  // records pass on
  const std::string text = metrics.render();
  EXPECT_TRUE(has(text, "log_capturer_user_records_total{level=\"error\",container=\"web\"} 2"))
      << text;
  EXPECT_TRUE(has(text, "log_capturer_user_records_total{level=\"info\",container=\"db\"} 1"));
  EXPECT_TRUE(has(text, "log_capturer_user_records_total{level=\"\",container=\"\"} 1"));
  EXPECT_TRUE(has(text, "log_capturer_user_took_seconds_bucket{le=\"0.1\"} 1"));
  EXPECT_TRUE(has(text, "log_capturer_user_took_seconds_bucket{le=\"+Inf\"} 3"));
  EXPECT_TRUE(has(text, "log_capturer_user_took_seconds_sum 5.55"));
  EXPECT_TRUE(has(text, "# HELP log_capturer_user_took_seconds Time taken."));
  // The record without the field is an error of the histogram, not a lost record.
  EXPECT_TRUE(has(text, "log_capturer_processor_errors_total{processor=\"log_to_metric_1\"} 1"));
}

TEST(LogToMetricProcessor, SeriesBeyondTheCapAreRefusedAndCounted) {
  const AgentConfig config = one_processor_config(
      "{type: log_to_metric, max_series: 2, metrics: [{name: by_container, labels: {c: '{{ "
      ".container_name }}'}}]}");
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(record("c" + std::to_string(i % 5), "info", 1));
  chain.process(batch);
  const std::string text = metrics.render();
  EXPECT_TRUE(has(text, "log_capturer_user_by_container_total{c=\"c0\"} 2"));
  EXPECT_TRUE(has(text, "log_capturer_user_by_container_total{c=\"c1\"} 2"));
  EXPECT_EQ(text.find("c=\"c2\""), std::string::npos);
  EXPECT_TRUE(has(text,
                  "log_capturer_user_metric_series_refused_total{processor=\"log_to_metric_1\","
                  "metric=\"by_container\"} 6"))
      << text;
}

TEST(LogToMetricProcessor, BadConfigsNameTheKey) {
  EXPECT_NE(processor_config_problem("{type: log_to_metric}").find("at least one metric"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: log_to_metric, metrics: [{name: 'a-b'}]}")
                .find("processors[0].metrics[0].name"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: log_to_metric, metrics: [{name: a, type: histogram}]}")
                .find("a histogram needs field and buckets"),
            std::string::npos);
  EXPECT_NE(processor_config_problem(
                "{type: log_to_metric, metrics: [{name: a, type: histogram, field: x, buckets: "
                "[1, 0.5]}]}")
                .find("ascending"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: log_to_metric, metrics: [{name: a, labels: {le: x}}]}")
                .find("reserved"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: log_to_metric, metrics: [{name: a}, {name: a}]}")
                .find("declared twice"),
            std::string::npos);
}

}  // namespace
}  // namespace lc
