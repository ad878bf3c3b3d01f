#include "processors/parse_regex/parse_regex_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/parse_regex/regex_presets.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

std::string regex_fields_json(const LogRecord& record) {
  std::string out;
  if (const FieldValue* fields = record.fields.get()) fields->append_json(out);
  return out;
}

// Runs one record through `processor_yaml` (one list item) and gives its fields, or "dropped".
// `metrics_text`: the metrics as rendered while the chain is there.
std::string parsed(const std::string& processor_yaml, std::string message,
                   std::string* metrics_text = nullptr) {
  const AgentConfig config = one_processor_config(processor_yaml);
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch(1);
  batch[0].message = std::move(message);
  chain.process(batch);
  if (metrics_text != nullptr) *metrics_text = metrics.render();
  return batch.empty() ? "dropped" : regex_fields_json(batch[0]);
}

TEST(ParseRegexProcessor, NamedCapturesBecomeTypedFieldsInPatternOrder) {
  EXPECT_EQ(
      parsed(
          R"({type: parse_regex, pattern: '(?<method>[A-Z]+) (?P<path>\S+) (?<status>\d+) (?<took>[\d.]+)s (?<ok>\w+)', types: {status: int, took: float, ok: bool}})",
          "GET /api 200 0.25s TRUE"),
      R"({"method":"GET","path":"/api","status":200,"took":0.25,"ok":true})");
}

TEST(ParseRegexProcessor, AnOptionalCaptureThatTookNoPartIsNoField) {
  EXPECT_EQ(parsed(R"({type: parse_regex, pattern: '^(?<a>x)(?<b>y)?'})", "xz"), R"({"a":"x"})");
}

TEST(ParseRegexProcessor, NoMatchOrAWrongTypeGoesPerOnErrorAndIsCounted) {
  std::string metrics;
  EXPECT_EQ(
      parsed(R"({type: parse_regex, pattern: '^(?<n>\d+)$', on_error: flag})", "abc", &metrics),
      R"({"parse_error":"parse_regex_1: no match"})");
  EXPECT_NE(metrics.find("log_capturer_processor_errors_total{processor=\"parse_regex_1\"} 1"),
            std::string::npos);
  EXPECT_EQ(parsed(R"({type: parse_regex, pattern: '(?<n>\S+)', types: {n: int}, on_error: flag})",
                   "12a"),
            R"({"parse_error":"parse_regex_1: n: \"12a\" is not a int"})");
  EXPECT_EQ(parsed(R"({type: parse_regex, pattern: '(?<n>\S+)', types: {n: int}, on_error: flag})",
                   "99999999999999999999"),
            R"({"parse_error":"parse_regex_1: n: \"99999999999999999999\" is not a int"})");
  EXPECT_EQ(
      parsed(R"({type: parse_regex, pattern: '(?<n>\S+)', types: {n: float}, on_error: drop})",
             "nan"),
      "dropped");
  EXPECT_EQ(parsed(R"({type: parse_regex, pattern: '^(?<n>\d+)$'})", "abc"), "");  // keep
}

TEST(ParseRegexProcessor, TheCombinedPresetReadsAnNginxAccessLine) {
  EXPECT_EQ(
      parsed(
          "{type: parse_regex, preset: combined}",
          R"(10.0.0.7 - alice [05/Dec/2026:10:00:01 +0000] "GET /index.html?q=1 HTTP/1.1" 404 153 "https://example.com/" "curl/8.0")"),
      R"({"client":"10.0.0.7","ident":"-","user":"alice","time":"05/Dec/2026:10:00:01 +0000",)"
      R"("method":"GET","path":"/index.html?q=1","protocol":"HTTP/1.1","status":404,"size":153,)"
      R"("referer":"https://example.com/","agent":"curl/8.0"})");
  // No size ("-") and a request line that is not METHOD PATH: both still parse.
  EXPECT_EQ(parsed("{type: parse_regex, preset: common}",
                   R"(::1 - - [05/Dec/2026:10:00:01 +0000] "\x16\x03" 400 -)"),
            R"({"client":"::1","ident":"-","user":"-","time":"05/Dec/2026:10:00:01 +0000",)"
            R"("request":"\\x16\\x03","status":400})");
}

TEST(ParseRegexProcessor, TheErrorLogPresetsReadTheirLines) {
  EXPECT_EQ(parsed("{type: parse_regex, preset: nginx_error}",
                   "2026/12/05 10:00:01 [error] 31#31: *7 open() failed"),
            R"({"time":"2026/12/05 10:00:01","level":"error","pid":31,"tid":31,"connection":7,)"
            R"("text":"open() failed"})");
  EXPECT_EQ(parsed("{type: parse_regex, preset: apache_error}",
                   "[Sat Dec 05 10:00:01.123 2026] [core:error] [pid 12:tid 34] [client "
                   "10.0.0.1:5] AH00037: denied"),
            R"({"time":"Sat Dec 05 10:00:01.123 2026","module":"core","level":"error","pid":12,)"
            R"("tid":34,"client":"10.0.0.1:5","text":"AH00037: denied"})");
}

TEST(ParseRegexProcessor, TypesOverrideThePresetsOwn) {
  EXPECT_EQ(parsed("{type: parse_regex, preset: common, types: {status: string}}",
                   R"(a b c [t] "GET / HTTP/1.0" 200 1)"),
            R"({"client":"a","ident":"b","user":"c","time":"t","method":"GET","path":"/",)"
            R"("protocol":"HTTP/1.0","status":"200","size":1})");
}

TEST(ParseRegexProcessor, EveryPresetCompilesAndHasTypedCapturesThatExist) {
  for (const RegexPreset& preset : regex_presets()) {
    EXPECT_EQ(
        processor_config_problem("{type: parse_regex, preset: " + std::string(preset.name) + "}"),
        "")
        << preset.name;
  }
}

TEST(ParseRegexProcessor, BadConfigsAreRefusedWithTheKey) {
  EXPECT_NE(processor_config_problem("{type: parse_regex, pattern: '(?<a>x)(?=y)'}")
                .find("processors[0].pattern: not a regex RE2 accepts"),
            std::string::npos);
  EXPECT_NE(
      processor_config_problem("{type: parse_regex, pattern: 'x+'}").find("has no named capture"),
      std::string::npos);
  EXPECT_NE(processor_config_problem("{type: parse_regex, pattern: '(?<a>x)', types: {b: int}}")
                .find("\"b\" is not a named capture"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: parse_regex, pattern: '(?<a>x)', types: {a: integer}}")
                .find("processors[0].types.a: expected string, int, float or bool"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: parse_regex, preset: apache}").find("unknown preset"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: parse_regex}").find("set either pattern or preset"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: parse_regex, pattern: '(?<a>x)', preset: common}")
                .find("set either pattern or preset"),
            std::string::npos);
}

}  // namespace
}  // namespace lc
