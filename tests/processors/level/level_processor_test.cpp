#include "processors/level/level_processor.hpp"

#include <gtest/gtest.h>

#include "core/level_words.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

std::string level_in(std::string_view line) {
  const auto level = level_in_message(line);
  return level ? std::string(level_name(*level)) : "none";
}

TEST(LevelWords, WordsAndNumbersNormalise) {
  EXPECT_EQ(level_name(*level_of_word("WARNING")), "warn");
  EXPECT_EQ(level_name(*level_of_word("Err")), "error");
  EXPECT_EQ(level_name(*level_of_word("crit")), "fatal");
  EXPECT_EQ(level_name(*level_of_word("notice")), "info");
  EXPECT_FALSE(level_of_word("errors"));
  EXPECT_EQ(level_name(*level_of_value(FieldValue(std::int64_t{3}))), "error");   // syslog
  EXPECT_EQ(level_name(*level_of_value(FieldValue(std::int64_t{50}))), "error");  // Bunyan
  EXPECT_EQ(level_name(*level_of_value(FieldValue("30"))), "info");
  EXPECT_EQ(level_name(*level_of_value(FieldValue(10.0))), "trace");
  EXPECT_FALSE(level_of_value(FieldValue(std::int64_t{45})));
  EXPECT_FALSE(level_of_value(FieldValue(std::int64_t{8})));
}

TEST(LevelWords, WhatALineStatesIsFound) {
  EXPECT_EQ(level_in("ts=1 level=warn msg=\"slow\""), "warn");
  EXPECT_EQ(level_in(R"({"time":"x","level":"ERROR","msg":"boom"})"), "error");
  EXPECT_EQ(level_in("lvl=50 something"), "error");
  EXPECT_EQ(level_in("2026-12-05 10:00:01 [main] [DEBUG] loading"), "debug");
  EXPECT_EQ(level_in("2026-12-05 10:00:01.123 ERROR 1 --- [main] o.s.Boot : failed"), "error");
  EXPECT_EQ(level_in("WARN: disk almost full"), "warn");
  EXPECT_EQ(level_in("<crit> kernel panic"), "fatal");
  EXPECT_EQ(level_in("E1205 10:00:01.123456    1 main.go:12] failed"), "error");
  EXPECT_EQ(level_in("I1205 10:00:01.123456    1 main.go:12] ok"), "info");
}

// The anchors' complaint: a level word used in prose is not the line's level.
TEST(LevelWords, WordsInProseAreNotALevel) {
  EXPECT_EQ(level_in("request completed with no error"), "none");
  EXPECT_EQ(level_in("Error rate is 0 percent"), "none");
  EXPECT_EQ(level_in("user selected the warning sound"), "none");
  EXPECT_EQ(level_in("the handler is a FATAL_GUARD wrapper"), "none");
  EXPECT_EQ(level_in("sublevel=error is a setting"), "none");
  EXPECT_EQ(level_in("Information about the INFORMATIONAL line count is at the end of a long "
                     "sentence ERROR"),
            "info");  // an upper-case level among the first five words counts
  EXPECT_EQ(level_in("one two three four five six ERROR"), "none");
}

std::string run_level(const std::string& yaml, const std::string& message,
                      const std::string& fields_json = "") {
  const AgentConfig config = one_processor_config(yaml);
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch(1);
  batch[0].message = message;
  if (!fields_json.empty()) {
    const AgentConfig json = one_processor_config("{type: parse_json}");
    ProcessorChain parse(json.processors, metrics);
    std::vector<LogRecord> parsed(1);
    parsed[0].message = fields_json;
    parse.process(parsed);
    batch[0].fields = parsed[0].fields;
  }
  chain.process(batch);
  std::string out;
  if (const FieldValue* fields = batch[0].fields.get()) fields->append_json(out);
  const std::string text = metrics.render();
  if (text.find("log_capturer_processor_level_not_found_total{processor=\"level_1\"} 1") !=
      std::string::npos) {
    out += " (not found)";
  }
  return out;
}

TEST(LevelProcessor, FieldsFirstThenTheMessageThenTheFallback) {
  EXPECT_EQ(run_level("{type: level}", "INFO hi", R"({"severity":"WARNING"})"),
            R"({"severity":"WARNING","level":"warn"})");
  EXPECT_EQ(run_level("{type: level}", "x", R"({"level":40})"), R"({"level":"warn"})");
  EXPECT_EQ(run_level("{type: level}", "2026-12-05 ERROR failed"), R"({"level":"error"})");
  EXPECT_EQ(run_level("{type: level, target: log.level}", "[warn] x"),
            R"({"log":{"level":"warn"}})");
  EXPECT_EQ(run_level("{type: level}", "no error here"), " (not found)");
  EXPECT_EQ(run_level("{type: level, fallback: info}", "no error here"),
            R"({"level":"info"} (not found))");
  EXPECT_EQ(run_level("{type: level, message: false}", "ERROR x"), " (not found)");
}

TEST(LevelProcessor, BadConfigsNameTheKey) {
  EXPECT_NE(processor_config_problem("{type: level, fallback: warning}")
                .find("processors[0].fallback: expected trace, debug"),
            std::string::npos);
  EXPECT_NE(
      processor_config_problem("{type: level, fields: [], message: false}").find("nowhere to look"),
      std::string::npos);
}

}  // namespace
}  // namespace lc
