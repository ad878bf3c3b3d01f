// sinks.<name> of type splunk_hec: the collector's paths and the loader's checks.
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

std::string target_of(std::string_view endpoint, SplunkHecSinkOptions::Api api) {
  HttpUrl url;
  const ValueProblem problem = parse_splunk_hec_url(endpoint, api, url);
  EXPECT_FALSE(problem) << endpoint << ": " << problem.value_or("");
  return url.target;
}

std::string hec_load_problem(const std::string& sink_yaml) {
  try {
    parse_config_text("sinks:\n  splunk:\n    type: splunk_hec\n" + sink_yaml, "cfg.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << sink_yaml;
  return "";
}

TEST(SplunkHecSinkOptions, RequestsGoToTheCollectorsPaths) {
  using Api = SplunkHecSinkOptions::Api;
  EXPECT_EQ(target_of("https://splunk:8088", Api::kEvent), "/services/collector/event");
  EXPECT_EQ(target_of("https://splunk:8088/", Api::kRaw), "/services/collector/raw");
  EXPECT_EQ(target_of("https://proxy/hec", Api::kEvent), "/hec/services/collector/event");
  EXPECT_EQ(target_of("https://s/services/collector/event", Api::kRaw), "/services/collector/raw");
  EXPECT_EQ(target_of("https://s/services/collector", Api::kEvent), "/services/collector/event");
  HttpUrl url;
  EXPECT_TRUE(parse_splunk_hec_url("https://s/services/collector/ack", Api::kEvent, url));
  EXPECT_TRUE(parse_splunk_hec_url("https://s/?x=1", Api::kEvent, url));
}

TEST(SplunkHecSinkOptions, TheLoaderReadsTheKeysAndRefusesBadOnes) {
  const AgentConfig config = parse_config_text(
      "sinks:\n  splunk:\n    type: splunk_hec\n    token: t\n    acknowledgements: true\n"
      "    ack_interval: 100ms\n    ack_timeout: 20s\n    fields: {c: '{{ .container_name }}'}\n",
      "cfg.yaml");
  const auto& hec = config.find_sink("splunk")->options_as<SplunkHecSinkOptions>();
  EXPECT_EQ(hec.token, "t");
  EXPECT_TRUE(hec.acknowledgements);
  EXPECT_EQ(hec.ack_interval, std::chrono::milliseconds(100));
  EXPECT_EQ(hec.fields.size(), 1u);
  EXPECT_THAT(hec_load_problem("    endpoint: https://s:8088\n"), HasSubstr("token: is required"));
  EXPECT_THAT(hec_load_problem("    token: t\n    headers: {AUTHORIZATION: x}\n"),
              HasSubstr("Authorization is the token's"));
  EXPECT_THAT(hec_load_problem("    token: t\n    api: raw\n    fields: {a: b}\n"),
              HasSubstr("indexed fields need api: event"));
  EXPECT_THAT(hec_load_problem("    token: t\n    api: raw\n    event_format: json\n"),
              HasSubstr("json needs api: event"));
  EXPECT_THAT(hec_load_problem("    token: t\n    api: raw\n    sourcetype: '{{ .message }}'\n"),
              HasSubstr("metadata is per request"));
  EXPECT_THAT(hec_load_problem("    token: t\n    ack_interval: 10ms\n"),
              HasSubstr("ack_interval"));
  EXPECT_THAT(
      hec_load_problem("    token: t\n    acknowledgements: true\n    ack_timeout: 100ms\n"),
      HasSubstr("shorter than ack_timeout"));
  EXPECT_THAT(hec_load_problem("    token: t\n    ca_file: /dev/null\n    endpoint: http://s\n"),
              HasSubstr("only used with an https:// URL"));
}

}  // namespace
}  // namespace lc
