#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"

#include <fmt/format.h>

#include <array>
#include <optional>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "sinks/common/http_client_keys.hpp"
#include "sinks/common/http_header_text.hpp"
#include "sinks/elasticsearch/elasticsearch_index_name.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<ElasticsearchSinkOptions::Mode>, 2> kModeChoices{{
    {"index", ElasticsearchSinkOptions::Mode::kIndex},
    {"data_stream", ElasticsearchSinkOptions::Mode::kDataStream},
}};

constexpr std::array<EnumChoice<ElasticsearchSinkOptions::Compression>, 2>
    kElasticsearchCompressionChoices{{
        {"gzip", ElasticsearchSinkOptions::Compression::kGzip},
        {"none", ElasticsearchSinkOptions::Compression::kNone},
    }};

constexpr std::string_view kBulkPath = "/_bulk";

ValueProblem check_endpoint(std::string_view text) {
  HttpUrl ignored;
  return parse_elasticsearch_bulk_url(text, ignored);
}

ValueProblem check_index_name(std::string_view text) {
  ElasticsearchIndexName ignored;
  return ElasticsearchIndexName::parse(text, ignored);
}

// A data stream's type is plain text (logs, metrics...), a part of its name.
ValueProblem check_data_stream_type(std::string_view text) {
  if (text.empty()) return "must not be empty (usually `logs`)";
  for (const char c : text) {
    if (!index_name_character(c) || c == '-') {
      return fmt::format("{}: lower-case letters, digits, '_' and '.' only",
                         quote_for_message(text));
    }
  }
  return std::nullopt;
}

// A pipeline's id (percent-encoded into the request's query).
ValueProblem check_pipeline(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7F) {
      return fmt::format("{}: no blanks or control characters", quote_for_message(text));
    }
  }
  return std::nullopt;
}

void read_data_stream(YamlSection& section, ElasticsearchSinkOptions& es) {
  section.read_string({"type", "The data stream's type, the first part of its name."},
                      es.data_stream_type, check_data_stream_type);
  section.read_string(
      {"dataset",
       "Its dataset, a template ([docs/fields.md](fields.md)), e.g. `{{ .compose_service }}`."},
      es.data_stream_dataset, check_index_name);
  section.read_string({"namespace", "Its namespace, a template (`default`, `production`)."},
                      es.data_stream_namespace, check_index_name);
}

void check_conflicts(YamlSection& section, const ElasticsearchSinkOptions& es) {
  std::optional<bool> https;
  bool valid = true;
  bool any_https = false;
  for (const std::string& endpoint : es.endpoints) {
    HttpUrl url;
    valid &= !parse_elasticsearch_bulk_url(endpoint, url);
    any_https |= url.https;
  }
  if (valid) https = any_https;
  check_http_client_keys(section,
                         {es.username, es.password, es.bearer_token, es.headers, es.tls, https},
                         HttpCredentialKey{"api_key", es.api_key});
  if (es.endpoints.empty() && !section.cataloguing() && !section.failed("endpoints")) {
    section.fail("endpoints", "needs at least one, e.g. [http://elasticsearch:9200]");
  }
}

}  // namespace

ValueProblem parse_elasticsearch_bulk_url(std::string_view endpoint, HttpUrl& out) {
  HttpUrl url;
  if (auto problem = parse_http_url(endpoint, "/", "http://elasticsearch:9200", url)) {
    return problem;
  }
  if (url.target.find('?') != std::string::npos) {
    return fmt::format("{}: no query (the sink sets its own)", quote_for_message(endpoint));
  }
  std::string path = url.target;
  while (path.ends_with('/')) path.pop_back();
  if (!path.ends_with(kBulkPath)) path += kBulkPath;
  url.target = path;
  out = std::move(url);
  return std::nullopt;
}

void read_elasticsearch_sink_options(YamlSection& section, ElasticsearchSinkOptions& es) {
  section.read_string_list(
      {"endpoints",
       "The cluster's HTTP addresses, used in turn, e.g. `[https://es1:9200, https://es2:9200]`; "
       "bulk requests go to `<endpoint>/_bulk` (a path is a proxy's prefix)."},
      es.endpoints, check_endpoint);
  section.read_enum<ElasticsearchSinkOptions::Mode>(
      {"mode",
       "`index`: documents go to the `index` template's index; `data_stream`: to the data stream "
       "`<type>-<dataset>-<namespace>` (`data_stream`), each document carrying those as "
       "`data_stream.*`."},
      es.mode, kModeChoices);
  section.read_string(
      {"index",
       "The index, a template ([docs/fields.md](fields.md)) with UTC dates of the record's own "
       "time (`%Y %m %d %H`), e.g. `logs-{{ .compose_project }}-%Y.%m.%d`. Values are made lower "
       "case and characters an index name cannot hold become `_`."},
      es.index, check_index_name);
  section.read_section("data_stream", [&es](YamlSection& stream) { read_data_stream(stream, es); });
  section.read_string({"pipeline", "An ingest pipeline every document goes through."}, es.pipeline,
                      check_pipeline);
  section.read_enum<ElasticsearchSinkOptions::Compression>(
      {"compression", "`gzip` (`Content-Encoding: gzip`) or `none`."}, es.compression,
      kElasticsearchCompressionChoices);
  section.read_string_map(
      {"headers", "Extra request headers, `name: value`. Use `${ENV}` references for secrets."},
      es.headers, check_http_header_name, check_http_header_text);
  section.read_string(
      {"username", "Basic auth user (with `password`). Use `${ENV}` references for secrets."},
      es.username, check_http_header_text);
  section.read_secret({"password", "Basic auth password; requires `username`."}, es.password,
                      check_http_header_text);
  section.read_secret(
      {"api_key",
       "An API key as Elasticsearch hands it out (the base64 `encoded` value), sent as "
       "`Authorization: ApiKey <key>`."},
      es.api_key, check_http_header_text);
  section.read_secret(
      {"bearer_token", "Sent as `Authorization: Bearer <token>`; not together with `username`."},
      es.bearer_token, check_http_header_text);
  read_tls_client_options(section, es.tls);
  section.read_duration(
      {"connect_timeout", "Time allowed to resolve, connect and (https) handshake."},
      es.connect_timeout);
  section.read_duration(
      {"request_timeout", "Time allowed to send one bulk request and read the answer."},
      es.request_timeout);
  check_conflicts(section, es);
}

}  // namespace lc
