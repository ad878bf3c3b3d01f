#include "processors/redact/redact_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "processors/redact/redact_presets.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

struct Redacted {
  std::string message;
  std::string fields;
  std::string metrics;
};

Redacted run_redact(const std::string& processor_yaml, std::string message,
                    RecordFields fields = RecordFields()) {
  const AgentConfig config = one_processor_config(processor_yaml);
  MetricsRegistry metrics;
  ProcessorChain chain(config.processors, metrics);
  std::vector<LogRecord> batch(1);
  batch[0].message = std::move(message);
  batch[0].fields = std::move(fields);
  chain.process(batch);
  Redacted out{batch[0].message, "", metrics.render()};
  if (const FieldValue* map = batch[0].fields.get()) map->append_json(out.fields);
  return out;
}

std::string redact_all(std::string message) {
  return run_redact("{type: redact, presets: [all]}", std::move(message)).message;
}

TEST(RedactProcessor, EachPresetFindsItsSecretAndLeavesTheWordsAround) {
  EXPECT_EQ(redact_all("Authorization: Bearer abc.DEF-123_xyz="),
            "Authorization: Bearer [REDACTED]");
  EXPECT_EQ(redact_all("auth=Basic dXNlcjpwYXNzd29yZA=="), "auth=Basic [REDACTED]");
  EXPECT_EQ(redact_all("GET https://bob:hunter2@example.com/x"),
            "GET https://bob:[REDACTED]@example.com/x");
  EXPECT_EQ(redact_all("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig-nat_ure ok"),
            "token [REDACTED] ok");
  EXPECT_EQ(redact_all("key AKIAIOSFODNN7EXAMPLE used"), "key [REDACTED] used");
  EXPECT_EQ(redact_all("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
            "aws_secret_access_key = [REDACTED]");
  EXPECT_EQ(redact_all("gcp AIzaSyA-1234567890abcdefghijklmnopqrstu"), "gcp [REDACTED]");
  EXPECT_EQ(
      redact_all("k=-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- end"),
      "k=[REDACTED] end");
  EXPECT_EQ(redact_all("login password=s3cr3t&user=bob; \"token\": \"abc\""),
            "login password=[REDACTED]&user=bob; \"token\": \"[REDACTED]\"");
  EXPECT_EQ(redact_all("card 4111 1111 1111 1111 paid"), "card [REDACTED] paid");
  EXPECT_EQ(redact_all("mail bob.smith+x@example.co.uk now"), "mail [REDACTED] now");
  EXPECT_EQ(redact_all("from 192.168.10.254:443"), "from [REDACTED]:443");
  EXPECT_EQ(redact_all("from 2001:db8::8a2e:370:7334 and ::1"), "from [REDACTED] and [REDACTED]");
}

// Cases a review found leaking (each secret must go, the words around it stay).
TEST(RedactProcessor, SecretsInTheirUsualDisguises) {
  EXPECT_EQ(redact_all("DB_PASSWORD=hunter2 MYSQL_ROOT_PASSWORD=toor github_token=ghp_x1"),
            "DB_PASSWORD=[REDACTED] MYSQL_ROOT_PASSWORD=[REDACTED] github_token=[REDACTED]");
  EXPECT_EQ(redact_all("X-API-Key: 0123abcd"), "X-API-Key: [REDACTED]");
  EXPECT_EQ(redact_all(R"(password="correct horse battery staple" ok)"),
            R"(password="[REDACTED]" ok)");
  EXPECT_EQ(redact_all(R"(:password => 'hunter2')"), R"(:password => '[REDACTED]')");
  EXPECT_EQ(redact_all("card 4111111111111111 123"), "card [REDACTED] 123");
  EXPECT_EQ(redact_all("4111-1111-1111-1111 123"), "[REDACTED] 123");
  EXPECT_EQ(redact_all("amex 378282246310005 1234"), "amex [REDACTED] 1234");
  EXPECT_EQ(redact_all("amex 3782 822463 10005 paid"), "amex [REDACTED] paid");
  EXPECT_EQ(redact_all("qty 12 4111111111111111"), "qty 12 [REDACTED]");
  EXPECT_EQ(redact_all("redis://:s3cretpass@redis:6379"), "redis://:[REDACTED]@redis:6379");
  EXPECT_EQ(redact_all("gcp AIzaSyA-1234567890abcdefghijklmnopqrst- end"), "gcp [REDACTED] end");
}

TEST(RedactProcessor, EverySecretGroupOfACustomPatternIsReplaced) {
  EXPECT_EQ(
      run_redact("{type: redact, patterns: {p: 'pin=(?<secret>\\d+)|code=(?<secret_code>\\w+)'}}",
                 "pin=1234 code=abc")
          .message,
      "pin=[REDACTED] code=[REDACTED]");
  EXPECT_NE(processor_config_problem(
                "{type: redact, patterns: {p: 'a=(?<secret>\\d+)|b=(?<secret>\\w+)'}}")
                .find("the group name \"secret\" is used twice"),
            std::string::npos);
}

TEST(RedactProcessor, OrdinaryLinesAreLeftAlone) {
  for (const char* line : {"GET /api/v1/users 200 12ms", "order 1234567812345678 shipped",
                           "at 10:00:01 the version 1.2.3.4567 started", "tokens: 42",
                           "std::vector<int> resized", "password reset requested"}) {
    EXPECT_EQ(redact_all(line), line);
  }
}

TEST(RedactProcessor, CardNumbersMustPassTheLuhnCheck) {
  EXPECT_EQ(redact_all("4111-1111-1111-1112"), "4111-1111-1111-1112");
  EXPECT_EQ(redact_all("5500-0000-0000-0004"), "[REDACTED]");
}

TEST(RedactProcessor, MaskKeepsTheLengthAndHashIsKeyedAndStable) {
  EXPECT_EQ(
      run_redact("{type: redact, presets: [assignments], replace: mask}", "pwd=héllo").message,
      "pwd=*****");
  const std::string a =
      run_redact("{type: redact, presets: [email], replace: hash, hash_key: k1}", "a@b.io a@b.io")
          .message;
  EXPECT_EQ(a.size(), std::string("[hash:0123456789abcdef] [hash:0123456789abcdef]").size());
  EXPECT_EQ(a.substr(0, 23), a.substr(24));  // equal secrets, equal hashes
  const std::string b =
      run_redact("{type: redact, presets: [email], replace: hash, hash_key: k2}", "a@b.io").message;
  EXPECT_NE(a.substr(0, 23), b);  // another key, another hash
}

TEST(RedactProcessor, CustomPatternsFieldsAndCountsPerPattern) {
  RecordFields fields(FieldValue::Map{
      {"user", FieldValue("bob@example.com")},
      {"http", FieldValue(FieldValue::Map{
                   {"headers", FieldValue(FieldValue::List{FieldValue("Bearer tok-tok-tok-1"),
                                                           FieldValue(std::int64_t{3})})}})},
      {"other", FieldValue("carol@example.com")}});
  const Redacted out = run_redact(
      "{type: redact, presets: [email, bearer], patterns: {order: 'ORD-(?<secret>\\d{4})'}, "
      "fields: [user, http.headers]}",
      "ORD-1234 for ORD-5678 by a@b.io", fields);
  EXPECT_EQ(out.message, "ORD-[REDACTED] for ORD-[REDACTED] by [REDACTED]");
  EXPECT_EQ(out.fields, R"({"user":"[REDACTED]","http":{"headers":["[REDACTED]",3]},)"
                        R"("other":"carol@example.com"})");
  EXPECT_NE(out.metrics.find("log_capturer_processor_redactions_total{processor=\"redact_1\","
                             "pattern=\"order\"} 2"),
            std::string::npos);
  EXPECT_NE(out.metrics.find("log_capturer_processor_redactions_total{processor=\"redact_1\","
                             "pattern=\"email\"} 1"),
            std::string::npos);
  EXPECT_NE(out.metrics.find("log_capturer_processor_redactions_total{processor=\"redact_1\","
                             "pattern=\"fields\"} 2"),
            std::string::npos);
}

TEST(RedactProcessor, EveryPresetCompilesAlone) {
  for (const RedactPattern& pattern : redact_patterns()) {
    EXPECT_EQ(
        processor_config_problem("{type: redact, presets: [" + std::string(pattern.preset) + "]}"),
        "");
  }
}

TEST(RedactProcessor, BadConfigsNameTheKey) {
  EXPECT_NE(processor_config_problem("{type: redact}").find("needs presets, patterns or both"),
            std::string::npos);
  EXPECT_NE(
      processor_config_problem("{type: redact, presets: [ssn]}").find("unknown preset \"ssn\""),
      std::string::npos);
  EXPECT_NE(processor_config_problem("{type: redact, patterns: {x: '(?<=a)b'}}")
                .find("processors[0].patterns.x"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: redact, presets: [all], replace: hash}")
                .find("needs hash_key"),
            std::string::npos);
  EXPECT_NE(processor_config_problem("{type: redact, presets: [all], message: false}")
                .find("list the fields"),
            std::string::npos);
}

}  // namespace
}  // namespace lc
