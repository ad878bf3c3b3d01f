#include "processors/parse_json/parse_json_processor.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "config/config_error.hpp"
#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"

namespace lc {
namespace {

std::vector<LogRecord> records(std::vector<std::string> messages) {
  auto container = std::make_shared<ContainerMetadata>();
  container->name = "web";
  std::vector<LogRecord> out;
  for (std::string& message : messages) {
    LogRecord& record = out.emplace_back();
    record.container = container;
    record.message = std::move(message);
  }
  return out;
}

// The record's fields as JSON ("" when it has none).
std::string fields_json(const LogRecord& record) {
  std::string out;
  if (const FieldValue* fields = record.fields.get()) fields->append_json(out);
  return out;
}

// A parse_json processor as a config file declares it, in a chain (with its metrics).
class ParseJsonTest : public ::testing::Test {
 protected:
  void build(const std::string& keys) {
    const AgentConfig config =
        parse_config_text("processors:\n  - {type: parse_json" + keys + "}\n", "cfg.yaml");
    chain_ = std::make_unique<ProcessorChain>(config.processors, metrics_);
  }
  double counter(const std::string& name) const {
    const std::string series = name + "{processor=\"parse_json_1\"} ";
    const std::string text = metrics_.render();
    const auto at = text.find(series);
    return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size()));
  }

  MetricsRegistry metrics_;
  std::unique_ptr<ProcessorChain> chain_;
};

TEST_F(ParseJsonTest, AnObjectBecomesTheFieldsWithItsTypesAndKeyOrder) {
  build("");
  auto batch =
      records({R"({"level":"info","status":500,"ms":1.5,"ok":true,"user":null,)"
               R"("http":{"method":"GET","path":"/"},"tags":["a",2],"big":18446744073709551615})"});
  chain_->process(batch);
  ASSERT_EQ(batch.size(), 1u);
  EXPECT_EQ(fields_json(batch[0]),
            R"({"level":"info","status":500,"ms":1.5,"ok":true,"user":null,)"
            R"("http":{"method":"GET","path":"/"},"tags":["a",2],"big":1.8446744073709552e+19})");
  EXPECT_EQ(batch[0].fields.get()->find("status")->type(), FieldValue::Type::kInt);
  EXPECT_EQ(batch[0].fields.get()->find("big")->type(), FieldValue::Type::kFloat);  // > int64
  EXPECT_EQ(counter("log_capturer_processor_records_in_total"), 1);
  EXPECT_EQ(counter("log_capturer_processor_records_out_total"), 1);
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 0);
}

TEST_F(ParseJsonTest, AMergeReplacesKeysAlreadyThereAndKeepsTheOthers) {
  build("");
  auto batch = records({R"({"a":1,"b":2})"});
  batch[0].fields.edit().set("b", "old");
  batch[0].fields.edit().set("c", "kept");
  chain_->process(batch);
  EXPECT_EQ(fields_json(batch[0]), R"({"b":2,"c":"kept","a":1})");
}

TEST_F(ParseJsonTest, ATargetBelowTheFieldsTakesAnyValue) {
  build(", target: .fields.payload.items");
  auto batch = records({R"([1,"two",{"three":3}])"});
  chain_->process(batch);
  EXPECT_EQ(fields_json(batch[0]), R"({"payload":{"items":[1,"two",{"three":3}]}})");
}

TEST_F(ParseJsonTest, AStringFieldCanBeTheSource) {
  build(", source: .fields.raw, target: .fields.parsed");
  auto batch = records({"message", "message", "message"});
  batch[0].fields.edit().set("raw", R"({"x":1})");
  batch[1].fields.edit().set("raw", 42);  // not a string: an error
  chain_->process(batch);                 // batch[2] has no raw: an error
  EXPECT_EQ(fields_json(batch[0]), R"({"raw":"{\"x\":1}","parsed":{"x":1}})");
  EXPECT_EQ(fields_json(batch[1]), R"({"raw":42})");
  EXPECT_EQ(fields_json(batch[2]), "");
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 2);
}

TEST_F(ParseJsonTest, WhatIsNotJsonIsKeptByDefault) {
  build("");
  auto batch = records({"plain text", "[1,2]", R"({"ok":1})", R"({"cut":)"});
  chain_->process(batch);
  ASSERT_EQ(batch.size(), 4u);  // never lost
  EXPECT_EQ(batch[0].message, "plain text");
  EXPECT_EQ(fields_json(batch[0]), "");
  EXPECT_EQ(fields_json(batch[1]), "");  // an array cannot be merged into the fields
  EXPECT_EQ(fields_json(batch[2]), R"({"ok":1})");
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 3);
  EXPECT_EQ(counter("log_capturer_processor_records_dropped_total"), 0);
}

TEST_F(ParseJsonTest, OnErrorDropRemovesTheRecordAndCountsIt) {
  build(", on_error: drop");
  auto batch = records({"a", R"({"n":1})", "b", R"({"n":2})"});
  chain_->process(batch);
  ASSERT_EQ(batch.size(), 2u);
  EXPECT_EQ(fields_json(batch[0]), R"({"n":1})");
  EXPECT_EQ(fields_json(batch[1]), R"({"n":2})");
  EXPECT_EQ(counter("log_capturer_processor_records_dropped_total"), 2);
  EXPECT_EQ(counter("log_capturer_processor_records_out_total"), 2);
}

TEST_F(ParseJsonTest, OnErrorFlagSaysWhyInAField) {
  build(", on_error: flag, error_field: why");
  auto batch = records({"nope"});
  chain_->process(batch);
  ASSERT_EQ(batch.size(), 1u);
  const FieldValue* why = batch[0].fields.get()->find("why");
  ASSERT_NE(why, nullptr);
  EXPECT_EQ(why->as_string().rfind("parse_json_1: not JSON", 0), 0u) << why->as_string();
}

TEST_F(ParseJsonTest, DeepOrHugeInputIsBounded) {
  build(", max_depth: 64");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  std::string huge = R"({"k":")" + std::string(1024 * 1024, 'x') + R"("})";
  auto batch = records({"{\"a\":" + deep + "}", huge});
  chain_->process(batch);
  EXPECT_EQ(fields_json(batch[0]), "");  // refused, kept as it was
  EXPECT_EQ(batch[1].fields.get()->find("k")->as_string().size(), 1024u * 1024u);
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 1);
}

TEST_F(ParseJsonTest, IntegersBeyond64BitsBecomeFloatsAndNumbersBeyondADoubleAreErrors) {
  build("");
  auto batch = records(
      {R"({"id":18446744073709551616,"low":-9223372036854775809,"z":1})", R"({"v":1e400})"});
  chain_->process(batch);
  EXPECT_EQ(fields_json(batch[0]),
            R"({"id":1.8446744073709552e+19,"low":-9.223372036854776e+18,"z":1})");
  EXPECT_EQ(fields_json(batch[1]), "");
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 1);
  batch = records(
      {"{\"big\":18446744073709551616," + std::string(100, '[') + std::string(100, ']') + "}"});
  chain_->process(batch);  // the slower parser bounds the depth too
  EXPECT_EQ(fields_json(batch[0]), "");
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 2);
}

TEST_F(ParseJsonTest, ManyKeysAndRepeatedOnesKeepTheLastValueWhereTheFirstStood) {
  build("");
  std::string line = "{";
  for (int i = 0; i < 100000; ++i)
    line += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  line += R"("k5":"again","k99999":"last"})";
  auto batch = records({line});
  batch[0].fields.edit().set("k7", "before");
  chain_->process(batch);
  const FieldValue::Map& fields = batch[0].fields.get()->as_map();
  ASSERT_EQ(fields.size(), 100000u);
  EXPECT_EQ(fields[0].key, "k7");  // it was there first
  EXPECT_EQ(fields[0].value, FieldValue(7));
  EXPECT_EQ(batch[0].fields.get()->find("k5")->as_string(), "again");
  EXPECT_EQ(fields.back().key, "k99999");
  EXPECT_EQ(fields.back().value.as_string(), "last");
}

TEST_F(ParseJsonTest, ATargetThroughAValueThatIsNotAMapIsAnErrorNotAnOverwrite) {
  build(", target: .fields.http.body");
  auto batch = records({R"({"a":1})"});
  batch[0].fields.edit().set("http", "GET");
  chain_->process(batch);
  EXPECT_EQ(fields_json(batch[0]), R"({"http":"GET"})");
  EXPECT_EQ(counter("log_capturer_processor_errors_total"), 1);
}

TEST(ParseJsonOptions, PathsThatCannotBeReadOrWrittenAreRefusedWithTheKey) {
  const auto problem = [](const std::string& keys) {
    try {
      parse_config_text("processors:\n  - {type: parse_json, " + keys + "}\n", "cfg.yaml");
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(problem("target: .message").find("processors[0].target: must be .fields"),
            std::string::npos)
      << problem("target: .message");
  EXPECT_NE(problem("target: '.fields.items[0]'").find("processors[0].target"), std::string::npos);
  EXPECT_NE(problem("source: .container_name").find("processors[0].source: must be .message"),
            std::string::npos);
  EXPECT_NE(problem("on_error: ignore").find("processors[0].on_error"), std::string::npos);
  EXPECT_NE(problem("max_depth: 1000").find("processors[0].max_depth: must be at most 512"),
            std::string::npos);
  EXPECT_EQ(problem("source: .fields.raw, target: .fields.x, on_error: flag"), "");
}

}  // namespace
}  // namespace lc
