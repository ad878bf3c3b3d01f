#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "config/config_value_checks.hpp"

namespace lc {

// Where an HTTP sink sends its requests.
struct HttpUrl {
  bool https = false;
  std::string host;  // a name or an address (IPv6 without brackets)
  std::uint16_t port = 0;
  std::string target;  // path and query, e.g. "/loki/api/v1/push"

  std::string host_header() const;  // "host:port", brackets around IPv6
  std::string describe() const;     // "https://loki:3100/loki/api/v1/push"
  bool operator==(const HttpUrl&) const = default;
};

// Scheme http or https, a host (a name, an IPv4 address or [IPv6]), an optional port (default
// 80 / 443), an optional path and query (no path, or "/": `default_path`). No user info (the
// sink's username/password keys say that) and no fragment. `example` shows a good URL in the
// message.
ValueProblem parse_http_url(std::string_view text, std::string_view default_path,
                            std::string_view example, HttpUrl& out);

// Appends `text` (a value put into a URL) with every byte but RFC 3986's unreserved ones
// percent-encoded: a value's '/', '?', '&', '=' or '%' stays inside its path segment or query
// parameter.
void percent_encode_value(std::string_view text, std::string& out);

}  // namespace lc
