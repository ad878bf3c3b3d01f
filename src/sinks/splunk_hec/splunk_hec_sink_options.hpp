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

// The Splunk HTTP Event Collector sink's own keys (YAML: sinks.<name> with type: splunk_hec;
// docs/configuration.md).
struct SplunkHecSinkOptions : OptionsOf<SplunkHecSinkOptions> {
  // The collector's base URL; events go to <endpoint>/services/collector/event (or /raw).
  std::string endpoint = "https://127.0.0.1:8088";
  // kEvent: JSON events with their metadata; kRaw: the messages as lines, metadata in the query.
  enum class Api { kEvent, kRaw };
  Api api = Api::kEvent;
  std::string token;  // required: sent as Authorization: Splunk <token>
  // Templates over the record ({{ .container_name }}); an empty rendering leaves the key out
  // (the token's default applies).
  std::string host = "{{ .host }}";
  std::string source = "{{ .container_name }}{{ .file }}";
  std::string sourcetype;
  std::string index;
  // Event API only: indexed fields, name -> template.
  std::vector<std::pair<std::string, std::string>> fields;
  // kText: "event" is the message; kJson: the record as the file store writes it.
  enum class EventFormat { kText, kJson };
  EventFormat event_format = EventFormat::kText;
  enum class Compression { kGzip, kNone };
  Compression compression = Compression::kGzip;
  // Indexer acknowledgement (the token must have it on): a batch counts as delivered only once
  // Splunk says it is indexed, asked every `ack_interval`, given up (and sent again) after
  // `ack_timeout`.
  bool acknowledgements = false;
  std::chrono::milliseconds ack_interval{500};
  std::chrono::milliseconds ack_timeout{60'000};
  std::vector<std::pair<std::string, std::string>> headers;
  net::TlsClientOptions tls;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};

  bool operator==(const SplunkHecSinkOptions&) const = default;
};

void read_splunk_hec_sink_options(YamlSection& section, SplunkHecSinkOptions& options);

// The collector's URL for `api`: "https://splunk:8088" -> /services/collector/event (or /raw);
// a path is kept as a proxy's prefix.
ValueProblem parse_splunk_hec_url(std::string_view endpoint, SplunkHecSinkOptions::Api api,
                                  HttpUrl& out);

}  // namespace lc
