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

// The generic HTTP sink's own keys (YAML: sinks.<name> with type: http; docs/configuration.md):
// batches of records posted to any HTTP endpoint (a webhook, another agent's HTTP input).
struct HttpOutputOptions : OptionsOf<HttpOutputOptions> {
  // http(s)://host[:port]/path?query; the path and query may hold templates over the record's
  // source (a request per distinct rendering), the scheme, host and port may not.
  std::string url;
  enum class Method { kPost, kPut };
  Method method = Method::kPost;
  // kNdjson: one record a line as the file store writes it; kJsonArray: those objects in one
  // JSON array; kText: the messages, a line each.
  enum class Encoding { kNdjson, kJsonArray, kText };
  Encoding encoding = Encoding::kNdjson;
  enum class Compression { kNone, kGzip, kZstd };
  Compression compression = Compression::kNone;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string username;
  std::string password;
  std::string bearer_token;
  net::TlsClientOptions tls;
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};

  bool operator==(const HttpOutputOptions&) const = default;
};

void read_http_output_options(YamlSection& section, HttpOutputOptions& options);

// `url` split into where requests go (scheme, host, port: `base`, its target unset) and the
// target's template (path and query, "/" when none). The template may read the record's source
// only (not .message, .fields or .stream: records of one source share a request).
ValueProblem parse_http_output_url(std::string_view url, HttpUrl& base, RecordTemplate& target);

}  // namespace lc
