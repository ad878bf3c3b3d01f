#include "processors/fields/fields_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/fields/message_rendering.hpp"
#include "processors/parse_logfmt/logfmt_fields.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

LogRecord record_with(std::string_view fields_json_text) {
  LogRecord record;
  record.message = "original";
  auto container = std::make_shared<ContainerMetadata>();
  container->name = "web-1";
  container->labels = {{"com.example.team", "payments"}, {"tier", "front"}};
  record.container = std::move(container);
  if (!fields_json_text.empty()) {
    const AgentConfig config =
        parse_config_text("processors:\n  - {type: parse_json}\n", "cfg.yaml");
    MetricsRegistry metrics;
    ProcessorChain parse(config.processors, metrics);
    std::vector<LogRecord> batch(1);
    batch[0].message = std::string(fields_json_text);
    parse.process(batch);
    record.fields = batch[0].fields;
  }
  return record;
}

struct Result {
  std::string fields;
  std::string message;
  std::string metrics;
};

Result run_fields(const std::string& processor_yaml, LogRecord record) {
  const AgentConfig config = one_processor_config(processor_yaml);
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch{std::move(record)};
  chain.process(batch);
  Result result;
  if (const FieldValue* fields = batch.at(0).fields.get()) fields->append_json(result.fields);
  result.message = batch[0].message;
  result.metrics = metrics.render();
  return result;
}

TEST(FieldsProcessor, SetAndAddRenderTemplatesAddOnlyWhereAbsent) {
  const Result result = run_fields(
      R"({type: fields, set: {origin: "{{ .container_name }}-{{ .fields.level }}", http.code: "x"}, add: {level: debug, env: prod}})",
      record_with(R"({"level":"warn"})"));
  EXPECT_EQ(result.fields,
            R"({"level":"warn","origin":"web-1-warn","http":{"code":"x"},"env":"prod"})");
}

TEST(FieldsProcessor, CopyRenameRemoveKeepInTheirOrder) {
  const Result result = run_fields(
      "{type: fields, keep: [severity, req, user], remove: [req.secret], rename: {msg: req.text}, "
      "copy: {level: severity}}",
      record_with(R"({"level":"info","msg":"hi","req":{"secret":"s","id":7},"other":1})"));
  EXPECT_EQ(result.fields, R"({"severity":"info","req":{"id":7,"text":"hi"}})");
}

TEST(FieldsProcessor, ARenameThatCannotWriteKeepsItsSource) {
  const Result result = run_fields("{type: fields, rename: {msg: http.text}}",
                                   record_with(R"({"msg":"hello","http":"GET"})"));
  EXPECT_EQ(result.fields, R"({"msg":"hello","http":"GET"})");
  EXPECT_NE(result.metrics.find("log_capturer_processor_errors_total{processor=\"fields_1\"} 1"),
            std::string::npos);
}

TEST(FieldsProcessor, FromLabelsTakesThoseThatExist) {
  const Result result =
      run_fields("{type: fields, from_labels: {com.example.team: team.name, missing: nothing}}",
                 record_with(""));
  EXPECT_EQ(result.fields, R"({"team":{"name":"payments"}})");
}

TEST(FieldsProcessor, AWriteThroughAValueThatIsNotAMapIsSkippedAndCounted) {
  const Result result =
      run_fields("{type: fields, set: {level.name: x, ok: y}}", record_with(R"({"level":"info"})"));
  EXPECT_EQ(result.fields, R"({"level":"info","ok":"y"})");
  EXPECT_NE(result.metrics.find("log_capturer_processor_errors_total{processor=\"fields_1\"} 1"),
            std::string::npos);
}

TEST(FieldsProcessor, ToMessageRendersJsonOrLogfmtThatReadsBack) {
  const std::string fields =
      R"({"level":"error","http":{"status":500},"msg":"a \"b\"\n","tags":[1,2]})";
  EXPECT_EQ(run_fields("{type: fields, to_message: json}", record_with(fields)).message, fields);
  const std::string line =
      run_fields("{type: fields, to_message: logfmt}", record_with(fields)).message;
  EXPECT_EQ(line, R"(level=error http.status=500 msg="a \"b\"\n" tags=[1,2])");
  FieldValue back;
  ASSERT_EQ(parse_logfmt_fields(line, back), std::nullopt);
  EXPECT_EQ(back.find("msg")->as_string(), "a \"b\"\n");
  // Without fields the message stays.
  EXPECT_EQ(run_fields("{type: fields, to_message: json}", record_with("")).message, "original");
}

TEST(FieldsProcessor, CopiesOfARecordAreNotChangedThroughSharedFields) {
  LogRecord original = record_with(R"({"a":1})");
  LogRecord copy = original;
  run_fields("{type: fields, remove: [a], set: {b: x}}", original);
  std::string json;
  copy.fields.get()->append_json(json);
  EXPECT_EQ(json, R"({"a":1})");
}

TEST(FieldsProcessor, BadConfigsNameTheKey) {
  EXPECT_NE(processor_config_problem("{type: fields, rename: {a: a.b}}").find("inside the other"),
            std::string::npos);
  // The wrong operation's own error comes first, not a claim that there is none.
  EXPECT_EQ(processor_config_problem("{type: fields, keep: [\"a[0]\"]}").find("needs an operation"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: fields}").find("needs an operation"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: fields, set: {a: \"{{ .nothing }}\"}}")
                .find("processors[0].set.a"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: fields, remove: [\"a[0]\"]}")
                .find("processors[0].remove[0]"),
            std::string::npos);
  EXPECT_NE(
      processor_config_problem("{type: fields, rename: {.message: x}}").find("must name a field"),
      std::string::npos);
  EXPECT_NE(
      processor_config_problem("{type: fields, to_message: yaml}").find("processors[0].to_message"),
      std::string::npos);
}

}  // namespace
}  // namespace lc
