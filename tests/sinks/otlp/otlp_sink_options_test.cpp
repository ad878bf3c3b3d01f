// sinks.<name> of type otlp: the endpoint's path rule, the templates, and the loader's checks.
#include "sinks/otlp/otlp_sink_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

std::string target_of(std::string_view endpoint) {
  HttpUrl url;
  const ValueProblem problem = parse_otlp_logs_url(endpoint, url);
  EXPECT_FALSE(problem) << endpoint << ": " << problem.value_or("");
  return url.target;
}

TEST(OtlpSinkOptions, LogsGoToV1LogsBelowTheEndpoint) {
  EXPECT_EQ(target_of("http://collector:4318"), "/v1/logs");
  EXPECT_EQ(target_of("http://collector:4318/"), "/v1/logs");
  EXPECT_EQ(target_of("https://gateway/otlp"), "/otlp/v1/logs");
  EXPECT_EQ(target_of("https://gateway/otlp/"), "/otlp/v1/logs");
  EXPECT_EQ(target_of("http://c:4318/v1/logs"), "/v1/logs");  // already the signal's path
  EXPECT_EQ(target_of("http://c:4318/custom/v1/logs?tenant=a"), "/custom/v1/logs?tenant=a");
  EXPECT_EQ(target_of("http://c:4318/p?x=1"), "/p/v1/logs?x=1");
  HttpUrl url;
  EXPECT_TRUE(parse_otlp_logs_url("collector:4318", url));
  EXPECT_TRUE(parse_otlp_logs_url("grpc://collector:4317", url));
}

TEST(OtlpSinkOptions, ResourceTemplatesReadTheSourceOnly) {
  OtlpAttributeSpec spec;
  EXPECT_FALSE(parse_otlp_resource_attribute("team={{ .labels.team }}", spec));
  EXPECT_EQ(spec.name, "team");
  EXPECT_FALSE(parse_otlp_resource_attribute("deployment.environment.name=prod", spec));
  for (const char* entry : {"x={{ .message }}", "x={{ .fields.level }}", "x={{ .stream }}"}) {
    const ValueProblem problem = parse_otlp_resource_attribute(entry, spec);
    ASSERT_TRUE(problem) << entry;
    EXPECT_THAT(*problem, HasSubstr("cannot read .message, .fields or .stream")) << entry;
  }
  EXPECT_THAT(parse_otlp_resource_attribute("no-equals", spec).value_or(""),
              HasSubstr("expected name=template"));
  EXPECT_TRUE(parse_otlp_resource_attribute("=value", spec));
}

std::string load_problem(const std::string& sink_yaml) {
  try {
    parse_config_text("sinks:\n  collector:\n    type: otlp\n" + sink_yaml, "cfg.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << sink_yaml;
  return "";
}

TEST(OtlpSinkOptions, TheLoaderReadsEveryKey) {
  const AgentConfig config = parse_config_text(
      "sinks:\n"
      "  collector:\n"
      "    type: otlp\n"
      "    endpoint: https://otel.example.com:4318\n"
      "    encoding: json\n"
      "    compression: none\n"
      "    headers: {X-Scope-OrgID: team-a}\n"
      "    bearer_token: t0k3n\n"
      "    service_name: '{{ .labels.app }}'\n"
      "    resource_attributes: ['deployment.environment.name=prod']\n"
      "    hostname: node-7\n"
      "    severity_field: severity\n"
      "    tls_verify: false\n"
      "    connect_timeout: 3s\n"
      "    request_timeout: 9s\n",
      "cfg.yaml");
  const SinkSpec* spec = config.find_sink("collector");
  ASSERT_NE(spec, nullptr);
  const auto& otlp = spec->options_as<OtlpSinkOptions>();
  EXPECT_EQ(otlp.endpoint, "https://otel.example.com:4318");
  EXPECT_EQ(otlp.encoding, OtlpSinkOptions::Encoding::kJson);
  EXPECT_EQ(otlp.compression, OtlpSinkOptions::Compression::kNone);
  EXPECT_EQ(otlp.headers.size(), 1u);
  EXPECT_EQ(otlp.bearer_token, "t0k3n");
  EXPECT_EQ(otlp.service_name, "{{ .labels.app }}");
  EXPECT_EQ(otlp.resource_attributes.size(), 1u);
  EXPECT_EQ(otlp.hostname, "node-7");
  EXPECT_EQ(otlp.severity_field, "severity");
  EXPECT_FALSE(otlp.tls.verify);
  EXPECT_EQ(otlp.connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(otlp.request_timeout, std::chrono::seconds(9));
}

TEST(OtlpSinkOptions, BadValuesAndCombinationsAreRefusedWithTheirKey) {
  EXPECT_THAT(load_problem("    endpoint: otel:4318\n"), HasSubstr("endpoint"));
  EXPECT_THAT(load_problem("    encoding: grpc\n"), HasSubstr("encoding"));
  EXPECT_THAT(load_problem("    compression: zstd\n"), HasSubstr("compression"));
  EXPECT_THAT(load_problem("    headers: {\"bad name\": x}\n"),
              HasSubstr("is not an HTTP header name"));
  EXPECT_THAT(load_problem("    headers: {content-encoding: identity}\n"),
              HasSubstr("is set by the sink itself"));
  EXPECT_THAT(load_problem("    password: x\n"), HasSubstr("set username too"));
  EXPECT_THAT(load_problem("    username: u\n    bearer_token: t\n"), HasSubstr("not both"));
  EXPECT_THAT(load_problem("    bearer_token: t\n    headers: {authorization: x}\n"),
              HasSubstr("sets Authorization"));
  EXPECT_THAT(load_problem("    ca_file: /dev/null\n"),
              HasSubstr("only used with an https:// URL"));
  EXPECT_THAT(load_problem("    resource_attributes: ['a={{ .message }}']\n"),
              HasSubstr("resource_attributes"));
  EXPECT_THAT(load_problem("    endpoint: https://c\n    ca_file: /nonexistent/ca.pem\n"),
              HasSubstr("ca_file"));
}

}  // namespace
}  // namespace lc
