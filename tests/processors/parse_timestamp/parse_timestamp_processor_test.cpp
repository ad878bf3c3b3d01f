#include "processors/parse_timestamp/parse_timestamp_processor.hpp"

#include <gtest/gtest.h>

#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

struct Outcome {
  std::vector<LogRecord> records;
  std::string metrics;
};

// Runs `processor_yaml` after a parse_json of each message.
Outcome run_parse_timestamp(const std::string& processor_yaml,
                            const std::vector<std::string>& messages) {
  const AgentConfig config = parse_config_text(
      "processors:\n  - {type: parse_json}\n  - " + processor_yaml + "\n", "cfg.yaml");
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  Outcome outcome;
  for (const std::string& message : messages) {
    LogRecord& record = outcome.records.emplace_back();
    record.time = 1;
    record.message = message;
  }
  chain.process(outcome.records);
  outcome.metrics = metrics.render();
  return outcome;
}

std::string event_time_of(const LogRecord& record) {
  return record.event_time != 0 ? format_rfc3339_nano(record.event_time) : "none";
}

std::string fields_of(const LogRecord& record) {
  std::string out;
  if (const FieldValue* fields = record.fields.get()) fields->append_json(out);
  return out;
}

TEST(ParseTimestampProcessor, SetsTheEventTimeAndLeavesTheSourceTime) {
  const Outcome out =
      run_parse_timestamp("{type: parse_timestamp}", {R"({"time":"2026-12-06T20:40:14.5Z"})"});
  ASSERT_EQ(out.records.size(), 1u);
  EXPECT_EQ(event_time_of(out.records[0]), "2026-12-06T20:40:14.500000000Z");
  EXPECT_EQ(out.records[0].time, 1);  // the position is untouched
  EXPECT_EQ(fields_of(out.records[0]), R"({"time":"2026-12-06T20:40:14.5Z"})");
}

TEST(ParseTimestampProcessor, FormatsAreTriedInOrder) {
  const Outcome out = run_parse_timestamp(
      "{type: parse_timestamp, source: .fields.ts, formats: [unix_ms, '%d/%b/%Y:%H:%M:%S %z'], "
      "remove_source: true}",
      {R"({"ts":1796589614123,"a":1})", R"({"ts":"06/Dec/2026:21:40:14 +0100"})"});
  ASSERT_EQ(out.records.size(), 2u);
  EXPECT_EQ(event_time_of(out.records[0]), "2026-12-06T20:40:14.123000000Z");
  EXPECT_EQ(event_time_of(out.records[1]), "2026-12-06T20:40:14.000000000Z");
  EXPECT_EQ(fields_of(out.records[0]), R"({"a":1})");
  EXPECT_EQ(fields_of(out.records[1]), "");
}

TEST(ParseTimestampProcessor, TheMessageItselfCanBeTheSource) {
  const Outcome out = run_parse_timestamp(
      "{type: parse_timestamp, source: .message, formats: ['%Y-%m-%d %H:%M:%S'], "
      "timezone: Europe/Berlin}",
      {"2026-07-01 12:00:00"});
  EXPECT_EQ(event_time_of(out.records[0]), "2026-07-01T10:00:00.000000000Z");
}

TEST(ParseTimestampProcessor, UnreadableTimesFollowOnErrorAndAreCounted) {
  const std::vector<std::string> lines = {R"({"time":"yesterday"})", R"({"other":1})",
                                          R"({"time":"2026-12-06T20:40:14Z"})"};
  const Outcome kept = run_parse_timestamp("{type: parse_timestamp}", lines);
  ASSERT_EQ(kept.records.size(), 3u);
  EXPECT_EQ(event_time_of(kept.records[0]), "none");
  EXPECT_EQ(fields_of(kept.records[0]), R"({"time":"yesterday"})");
  EXPECT_NE(
      kept.metrics.find("log_capturer_processor_errors_total{processor=\"parse_timestamp_2\"} 2"),
      std::string::npos)
      << kept.metrics;

  const Outcome flagged = run_parse_timestamp("{type: parse_timestamp, on_error: flag}", lines);
  EXPECT_EQ(
      fields_of(flagged.records[0]),
      R"({"time":"yesterday","parse_error":"parse_timestamp_2: .fields.time holds no time in any of the formats"})");
  EXPECT_EQ(fields_of(flagged.records[1]),
            R"({"other":1,"parse_error":"parse_timestamp_2: .fields.time is not set"})");

  const Outcome dropped = run_parse_timestamp("{type: parse_timestamp, on_error: drop}", lines);
  ASSERT_EQ(dropped.records.size(), 1u);
  EXPECT_EQ(event_time_of(dropped.records[0]), "2026-12-06T20:40:14.000000000Z");
  EXPECT_NE(dropped.metrics.find(
                "log_capturer_processor_records_dropped_total{processor=\"parse_timestamp_2\"} 2"),
            std::string::npos);
}

TEST(ParseTimestampProcessor, BadConfigsNameTheKey) {
  EXPECT_NE(processor_config_problem("{type: parse_timestamp, formats: [rfc3339, '%Y %Q']}")
                .find("processors[0].formats[1]: \"%Y %Q\": %Q is not a directive"),
            std::string::npos)
      << processor_config_problem("{type: parse_timestamp, formats: [rfc3339, '%Y %Q']}");
  EXPECT_NE(processor_config_problem("{type: parse_timestamp, timezone: Europe/Nowhere}")
                .find("processors[0].timezone: \"Europe/Nowhere\" is not a time zone"),
            std::string::npos);
  EXPECT_NE(
      processor_config_problem("{type: parse_timestamp, formats: []}").find("must not be empty"),
      std::string::npos);
  EXPECT_NE(processor_config_problem("{type: parse_timestamp, source: .image}")
                .find("must be .message or a field"),
            std::string::npos);
}

}  // namespace
}  // namespace lc
