// sinks.<name> of type elasticsearch: endpoints, index names and the loader's checks.
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "sinks/elasticsearch/elasticsearch_index_name.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

std::string bulk_target(std::string_view endpoint) {
  HttpUrl url;
  const ValueProblem problem = parse_elasticsearch_bulk_url(endpoint, url);
  EXPECT_FALSE(problem) << endpoint << ": " << problem.value_or("");
  return url.target;
}

std::string load_problem(const std::string& sink_yaml) {
  try {
    parse_config_text("sinks:\n  search:\n    type: elasticsearch\n" + sink_yaml, "cfg.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << sink_yaml;
  return "";
}

TEST(ElasticsearchSinkOptions, BulkRequestsGoBelowTheEndpoint) {
  EXPECT_EQ(bulk_target("http://es:9200"), "/_bulk");
  EXPECT_EQ(bulk_target("http://es:9200/"), "/_bulk");
  EXPECT_EQ(bulk_target("https://proxy/es/"), "/es/_bulk");
  EXPECT_EQ(bulk_target("https://proxy/es/_bulk"), "/es/_bulk");
  HttpUrl url;
  EXPECT_TRUE(parse_elasticsearch_bulk_url("http://es:9200/?pretty", url));
  EXPECT_TRUE(parse_elasticsearch_bulk_url("es:9200", url));
}

TEST(ElasticsearchSinkOptions, IndexNamesAreCheckedAtLoad) {
  ElasticsearchIndexName name;
  EXPECT_FALSE(ElasticsearchIndexName::parse("logs-{{ .compose_project }}-%Y.%m.%d", name));
  EXPECT_FALSE(ElasticsearchIndexName::parse("logs-%Y.%m.%d-%H%%", name));
  EXPECT_THAT(ElasticsearchIndexName::parse("logs-%Q", name).value_or(""),
              HasSubstr("%Q is not a date specifier"));
  EXPECT_THAT(ElasticsearchIndexName::parse("logs-%", name).value_or(""), HasSubstr("%%"));
  EXPECT_THAT(ElasticsearchIndexName::parse("Logs", name).value_or(""), HasSubstr("lower case"));
  EXPECT_THAT(ElasticsearchIndexName::parse("a b", name).value_or(""), HasSubstr("lower case"));
  EXPECT_THAT(ElasticsearchIndexName::parse("_x", name).value_or(""), HasSubstr("start with"));
  EXPECT_TRUE(ElasticsearchIndexName::parse("", name));
  EXPECT_TRUE(ElasticsearchIndexName::parse("{{ .nope", name));
}

TEST(ElasticsearchSinkOptions, TheLoaderReadsEveryKey) {
  const AgentConfig config = parse_config_text(
      "sinks:\n"
      "  search:\n"
      "    type: elasticsearch\n"
      "    endpoints: [https://es1:9200, https://es2:9200/proxy]\n"
      "    mode: data_stream\n"
      "    index: 'app-{{ .labels.app }}-%Y'\n"
      "    data_stream: {type: metrics, dataset: '{{ .compose_service }}', namespace: prod}\n"
      "    pipeline: parse-nginx\n"
      "    compression: none\n"
      "    headers: {X-Opaque-Id: agent}\n"
      "    api_key: a2V5OnNlY3JldA==\n"
      "    tls_verify: false\n"
      "    connect_timeout: 3s\n"
      "    request_timeout: 9s\n",
      "cfg.yaml");
  const SinkSpec* spec = config.find_sink("search");
  ASSERT_NE(spec, nullptr);
  const auto& es = spec->options_as<ElasticsearchSinkOptions>();
  EXPECT_EQ(es.endpoints, (std::vector<std::string>{"https://es1:9200", "https://es2:9200/proxy"}));
  EXPECT_EQ(es.mode, ElasticsearchSinkOptions::Mode::kDataStream);
  EXPECT_EQ(es.index, "app-{{ .labels.app }}-%Y");
  EXPECT_EQ(es.data_stream_type, "metrics");
  EXPECT_EQ(es.data_stream_dataset, "{{ .compose_service }}");
  EXPECT_EQ(es.data_stream_namespace, "prod");
  EXPECT_EQ(es.pipeline, "parse-nginx");
  EXPECT_EQ(es.compression, ElasticsearchSinkOptions::Compression::kNone);
  EXPECT_EQ(es.headers.size(), 1u);
  EXPECT_EQ(es.api_key, "a2V5OnNlY3JldA==");
  EXPECT_FALSE(es.tls.verify);
  EXPECT_EQ(es.connect_timeout, std::chrono::seconds(3));
  EXPECT_EQ(es.request_timeout, std::chrono::seconds(9));
}

TEST(ElasticsearchSinkOptions, BadValuesAndCombinationsAreRefusedWithTheirKey) {
  EXPECT_THAT(load_problem("    endpoints: [es:9200]\n"), HasSubstr("endpoints"));
  EXPECT_THAT(load_problem("    endpoints: ['http://es:9200?x=1']\n"), HasSubstr("no query"));
  EXPECT_THAT(load_problem("    endpoints: []\n"), HasSubstr("endpoints"));
  EXPECT_THAT(load_problem("    index: Logs-%Y\n"), HasSubstr("index"));
  EXPECT_THAT(load_problem("    index: logs-%s\n"), HasSubstr("%s is not a date specifier"));
  EXPECT_THAT(load_problem("    mode: bulk\n"), HasSubstr("mode"));
  EXPECT_THAT(load_problem("    data_stream: {type: my-logs}\n"), HasSubstr("data_stream.type"));
  EXPECT_THAT(load_problem("    data_stream: {dataset: A}\n"), HasSubstr("data_stream.dataset"));
  EXPECT_THAT(load_problem("    pipeline: 'a b'\n"), HasSubstr("pipeline"));
  EXPECT_THAT(load_problem("    compression: zstd\n"), HasSubstr("compression"));
  EXPECT_THAT(load_problem("    api_key: k\n    username: u\n"), HasSubstr("api_key"));
  EXPECT_THAT(load_problem("    api_key: k\n    headers: {Authorization: x}\n"),
              HasSubstr("api_key"));
  EXPECT_THAT(load_problem("    username: u\n    bearer_token: t\n"), HasSubstr("not both"));
  EXPECT_THAT(load_problem("    ca_file: /dev/null\n"),
              HasSubstr("only used with an https:// URL"));
}

}  // namespace
}  // namespace lc
