#include "processors/parse_syslog/parse_syslog_processor.hpp"

#include <gtest/gtest.h>

#include "metrics/metrics_registry.hpp"
#include "processors/parse_syslog/syslog_fields.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

std::string syslog_fields_of(std::string_view line) {
  FieldValue map;
  if (auto problem = parse_syslog_fields(line, map)) return "error: " + *problem;
  std::string out;
  map.append_json(out);
  return out;
}

TEST(SyslogFields, Rfc5424WithStructuredData) {
  EXPECT_EQ(
      syslog_fields_of(
          R"(<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 )"
          R"([exampleSDID@32473 iut="3" eventSource="App\"lication"][x@1 a="]"] An event)"),
      R"({"facility":20,"severity":5,"level":"notice","timestamp":"2003-10-11T22:14:15.003Z",)"
      R"("hostname":"mymachine.example.com","appname":"evntslog","msgid":"ID47",)"
      R"("structured_data":{"exampleSDID@32473":{"iut":"3","eventSource":"App\"lication"},)"
      R"("x@1":{"a":"]"}},"message":"An event"})");
  EXPECT_EQ(syslog_fields_of("<14>1 - - - - - -"), R"({"facility":1,"severity":6,"level":"info"})");
  EXPECT_EQ(syslog_fields_of("<14>1 2026-12-05T10:00:01Z h app 12 - - \xEF\xBB\xBFhi"),
            R"({"facility":1,"severity":6,"level":"info","timestamp":"2026-12-05T10:00:01Z",)"
            R"("hostname":"h","appname":"app","procid":"12","message":"hi"})");
}

TEST(SyslogFields, Rfc3164WithOrWithoutPriority) {
  EXPECT_EQ(
      syslog_fields_of("<34>Oct 11 22:14:15 mymachine su[123]: 'su root' failed"),
      R"({"facility":4,"severity":2,"level":"crit","timestamp":"Oct 11 22:14:15",)"
      R"("hostname":"mymachine","procid":"123","appname":"su","message":"'su root' failed"})");
  EXPECT_EQ(
      syslog_fields_of("Dec  5 10:00:01 web cron: job done"),
      R"({"timestamp":"Dec  5 10:00:01","hostname":"web","appname":"cron","message":"job done"})");
}

TEST(SyslogFields, WhatIsNotSyslogSaysWhy) {
  EXPECT_EQ(syslog_fields_of("hello world"), "error: neither an RFC 5424 nor an RFC 3164 header");
  EXPECT_EQ(syslog_fields_of("<999>1 x"), "error: a <PRI> that is not <0> to <191>");
  EXPECT_EQ(syslog_fields_of("<1>1 - - - - - [open"), "error: structured data is not closed");
  EXPECT_EQ(syslog_fields_of("<1>1 - - - - - [id k=v]"),
            "error: a structured data parameter without =\"value\"");
  EXPECT_EQ(syslog_fields_of(""), "error: neither an RFC 5424 nor an RFC 3164 header");
}

TEST(ParseSyslogProcessor, ParsesIntoTheFields) {
  const AgentConfig config = one_processor_config("{type: parse_syslog, target: .fields.syslog}");
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch(2);
  batch[0].message = "<13>Dec  5 10:00:01 h app: hi";
  batch[1].message = "not syslog";
  chain.process(batch);
  ASSERT_EQ(batch.size(), 2u);
  std::string json;
  batch[0].fields.get()->append_json(json);
  EXPECT_EQ(
      json,
      R"({"syslog":{"facility":1,"severity":5,"level":"notice","timestamp":"Dec  5 10:00:01",)"
      R"("hostname":"h","appname":"app","message":"hi"}})");
  EXPECT_NE(
      metrics.render().find("log_capturer_processor_errors_total{processor=\"parse_syslog_1\"} 1"),
      std::string::npos);
}

}  // namespace
}  // namespace lc
