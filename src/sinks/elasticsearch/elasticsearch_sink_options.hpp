#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_value_checks.hpp"
#include "config/sink_spec.hpp"
#include "net/tls_client_options.hpp"
#include "sinks/common/http_url.hpp"

namespace lc {

class YamlSection;

// The Elasticsearch / OpenSearch sink's own keys (YAML: sinks.<name> with type: elasticsearch;
// docs/configuration.md): records indexed through the _bulk API, each with a stable _id.
struct ElasticsearchSinkOptions : OptionsOf<ElasticsearchSinkOptions> {
  // Base URLs of the cluster's nodes, used in turn; bulk requests go to <endpoint>/_bulk.
  std::vector<std::string> endpoints{"http://127.0.0.1:9200"};
  // kIndex: documents go to the `index` template's rendering; kDataStream: to the data stream
  // <type>-<dataset>-<namespace>, and each document carries those as data_stream.*.
  enum class Mode { kIndex, kDataStream };
  Mode mode = Mode::kIndex;
  // A template over the record ({{ .compose_project }}) with strftime dates (%Y %m %d %H) of
  // the record's own time.
  std::string index = "log-capturer-%Y.%m.%d";
  std::string data_stream_type = "logs";
  std::string data_stream_dataset = "generic";    // a template
  std::string data_stream_namespace = "default";  // a template
  std::string pipeline;  // an ingest pipeline for every document; empty: none
  enum class Compression { kGzip, kNone };
  Compression compression = Compression::kGzip;
  std::vector<std::pair<std::string, std::string>> headers;
  // At most one way of authenticating: basic (username/password), an API key (the encoded
  // id:key, as Elasticsearch hands it out) or a bearer token.
  std::string username;
  std::string password;
  std::string api_key;
  std::string bearer_token;
  net::TlsClientOptions tls;  // https endpoints only
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};

  bool operator==(const ElasticsearchSinkOptions&) const = default;
};

void read_elasticsearch_sink_options(YamlSection& section, ElasticsearchSinkOptions& options);

// Where an endpoint's bulk requests go: "http://es:9200" -> /_bulk, "https://proxy/es" ->
// /es/_bulk (a path is a proxy's prefix).
ValueProblem parse_elasticsearch_bulk_url(std::string_view endpoint, HttpUrl& out);

}  // namespace lc
