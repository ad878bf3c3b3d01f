#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_value_checks.hpp"
#include "config/sink_spec.hpp"
#include "core/record_template.hpp"
#include "net/tls_client_options.hpp"
#include "sinks/common/http_url.hpp"

namespace lc {

class YamlSection;

// The OpenTelemetry OTLP/HTTP sink's own keys (YAML: sinks.<name> with type: otlp;
// docs/configuration.md).
struct OtlpSinkOptions : OptionsOf<OtlpSinkOptions> {
  // The collector's OTLP/HTTP base URL; logs go to <endpoint>/v1/logs.
  std::string endpoint = "http://127.0.0.1:4318";
  enum class Encoding { kProtobuf, kJson };
  Encoding encoding = Encoding::kProtobuf;
  enum class Compression { kGzip, kNone };
  Compression compression = Compression::kGzip;
  // Extra request headers, name -> value (an API key header, a tenant).
  std::vector<std::pair<std::string, std::string>> headers;
  // Basic auth when username is set; bearer_token instead for a token. At most one of the two.
  std::string username;
  std::string password;
  std::string bearer_token;
  // The service.name resource attribute, a template; empty renders fall back to the compose
  // service, then the container's name (a tailed file: its input's name).
  std::string service_name;
  // More resource attributes, "name=template" each (rendered per container or file).
  std::vector<std::string> resource_attributes;
  std::string hostname;  // host.name; empty: the machine's host name
  // The structured field whose value sets severity_text and severity_number.
  std::string severity_field = "level";
  net::TlsClientOptions tls;  // https only (tls_verify, ca_file, cert_file, key_file)
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};

  bool operator==(const OtlpSinkOptions&) const = default;
};

void read_otlp_sink_options(YamlSection& section, OtlpSinkOptions& options);

// Where logs go, from OtlpSinkOptions::endpoint: "http://collector:4318" posts to /v1/logs, a
// path is kept with /v1/logs added ("https://gateway/otlp" -> /otlp/v1/logs), and a path that
// already ends in /v1/logs is used as it is.
ValueProblem parse_otlp_logs_url(std::string_view endpoint, HttpUrl& out);

// A resource attribute entry: "name=template", the template reading the record's source only
// (not .message or .fields: a resource is one per container or file).
struct OtlpAttributeSpec {
  std::string name;
  RecordTemplate value;
};
ValueProblem parse_otlp_resource_attribute(std::string_view entry, OtlpAttributeSpec& out);
// The service_name template (same rule: the record's source only).
ValueProblem parse_otlp_source_template(std::string_view text, RecordTemplate& out);

}  // namespace lc
