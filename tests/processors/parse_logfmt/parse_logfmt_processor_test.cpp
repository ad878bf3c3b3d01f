#include "processors/parse_logfmt/parse_logfmt_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/parse_logfmt/logfmt_fields.hpp"
#include "processors/processor_chain.hpp"

namespace lc {
namespace {

std::string fields_of(std::string_view line) {
  FieldValue map;
  if (auto problem = parse_logfmt_fields(line, map)) return "error: " + *problem;
  std::string out;
  map.append_json(out);
  return out;
}

TEST(LogfmtFields, PairsBareAndQuotedValuesAndKeysAlone) {
  EXPECT_EQ(fields_of(R"(level=info msg="user logged in" user=42 dry_run)"),
            R"({"level":"info","msg":"user logged in","user":"42","dry_run":"true"})");
  EXPECT_EQ(fields_of(R"(  a=  b="x \"y\" \\ \n"	c=)"),
            R"({"a":"","b":"x \"y\" \\ \n","c":""})");
  EXPECT_EQ(fields_of("k=1 k=2 j=3"), R"({"k":"2","j":"3"})");  // the last value, first place
  EXPECT_EQ(fields_of("url=http://x/?a=b"), R"({"url":"http://x/?a=b"})");
}

TEST(LogfmtFields, WhatIsNotLogfmtSaysWhy) {
  EXPECT_EQ(fields_of(""), "error: no key=value pair");
  EXPECT_EQ(fields_of("   "), "error: no key=value pair");
  EXPECT_EQ(fields_of("=v"), "error: a key is missing at byte 1");
  EXPECT_EQ(fields_of(R"(k="open)"), "error: the value of k is not closed");
  EXPECT_EQ(fields_of(R"(k"v")"), "error: a quote follows the key k without '='");
}

TEST(ParseLogfmtProcessor, ParsesIntoTheFieldsAndCountsWhatItCannot) {
  const AgentConfig config = parse_config_text(
      "processors:\n  - {type: parse_logfmt, target: .fields.kv, on_error: drop}\n", "cfg.yaml");
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch(3);
  batch[0].message = "status=500 path=/api";
  batch[1].message = "   ";
  batch[2].message = "ok";
  chain.process(batch);
  ASSERT_EQ(batch.size(), 2u);
  std::string fields;
  batch[0].fields.get()->append_json(fields);
  EXPECT_EQ(fields, R"({"kv":{"status":"500","path":"/api"}})");
  const std::string text = metrics.render();
  EXPECT_NE(text.find("log_capturer_processor_errors_total{processor=\"parse_logfmt_1\"} 1"),
            std::string::npos);
  EXPECT_NE(
      text.find("log_capturer_processor_records_dropped_total{processor=\"parse_logfmt_1\"} 1"),
      std::string::npos);
}

}  // namespace
}  // namespace lc
