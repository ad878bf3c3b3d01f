#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_value_checks.hpp"
#include "config/sink_spec.hpp"
#include "core/record_template.hpp"
#include "net/tls_client_options.hpp"
#include "sinks/common/http_url.hpp"

namespace lc {

class YamlSection;
using Duration = std::chrono::milliseconds;  // as in config/agent_config.hpp

// The Grafana Loki sink's own keys (YAML: sinks.<name> with type: loki, or the shorthand
// sinks.loki; docs/configuration.md). Labels and structured metadata are lists of
// "name=template" entries; the value syntax is parsed by the functions below, which the reader
// uses to check it and the sink to build its label renderer.
struct LokiSinkOptions : OptionsOf<LokiSinkOptions> {
  // http(s)://host[:port][/path]; a URL without a path posts to /loki/api/v1/push.
  std::string url = "http://127.0.0.1:3100/loki/api/v1/push";
  std::string tenant_id;  // X-Scope-OrgID; empty: no header (single-tenant Loki)
  // Basic auth when username is set; bearer_token instead for a token. At most one of the two.
  std::string username;
  std::string password;
  std::string bearer_token;
  // kProtobuf: snappy-compressed PushRequest (Loki's native format). kJson: the JSON push API.
  enum class Format { kProtobuf, kJson };
  Format format = Format::kProtobuf;
  bool gzip = false;  // JSON bodies only: Content-Encoding: gzip
  // kMessage: each entry's line is the record's message. kJson: {"message":...} with the
  // record's structured fields merged in (Loki's `| json` then extracts them).
  enum class LineFormat { kMessage, kJson };
  LineFormat line_format = LineFormat::kMessage;
  std::string hostname;  // the {host} field; empty: the machine's hostname
  // Added to the default labels (kDefaultLokiLabels), replacing one of the same name.
  std::vector<std::string> labels;
  std::vector<std::string> drop_labels;  // label names removed from the set
  // Per-entry metadata that is not a label (no stream cardinality cost).
  std::vector<std::string> structured_metadata{"container_id", "image"};
  net::TlsClientOptions tls;  // https only (tls_verify, ca_file, cert_file, key_file)
  Duration connect_timeout{5'000};
  Duration request_timeout{30'000};

  bool operator==(const LokiSinkOptions&) const = default;
};

// Reads the Loki keys of a sink's section, with the checks across keys.
void read_loki_sink_options(YamlSection& section, LokiSinkOptions& options);

// The label set every record gets unless a `labels` entry replaces or `drop_labels` removes a
// name: low-cardinality fields only.
inline constexpr std::array<std::string_view, 5> kDefaultLokiLabels{
    "container_name={container_name}", "compose_project={compose_project}",
    "compose_service={compose_service}", "stream={stream}", "host={host}"};

// Where pushes go, parsed from LokiSinkOptions::url: an HTTP URL whose path defaults to
// /loki/api/v1/push ("http://loki:3100", "https://[::1]/loki/api/v1/push?x=1").
ValueProblem parse_loki_push_url(std::string_view text, HttpUrl& out);
ValueProblem check_loki_push_url(std::string_view text);

// A label's or structured metadata's value: a template of the record's source (docs/fields.md),
// "{{ .container_name }}" or the older "{container_name}" (translated). Loki's values are
// rendered per source, and per distinct field values when it reads .fields; .message is refused.
ValueProblem parse_loki_template(std::string_view text, RecordTemplate& out);

// A label or structured metadata entry: "name=template", or a bare field name such as
// "container_id" (short for "container_id={container_id}").
struct LokiFieldSpec {
  std::string name;
  RecordTemplate value;
};
ValueProblem parse_loki_field(std::string_view entry, LokiFieldSpec& out);
ValueProblem check_loki_field(std::string_view entry);

// A problem with a combination of keys, reported at `key`.
struct LokiOptionsConflict {
  std::string key;
  std::string problem;
};
// The rules across keys (gzip needs json, one kind of credentials, TLS files need https, ...);
// values that are themselves invalid (such as a malformed url) are left to their own checks.
std::vector<LokiOptionsConflict> find_loki_options_conflicts(const LokiSinkOptions& config);

// Loki's (Prometheus') label names: [a-zA-Z_][a-zA-Z0-9_]*, without the reserved "__" prefix.
ValueProblem check_loki_label_name(std::string_view name);

}  // namespace lc
