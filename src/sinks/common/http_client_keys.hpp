#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/tls_client_options.hpp"

namespace lc {

class YamlSection;

// The keys every HTTP sink's client has (credentials, extra headers, TLS), as read.
struct HttpClientKeys {
  const std::string& username;
  const std::string& password;
  const std::string& bearer_token;
  const std::vector<std::pair<std::string, std::string>>& headers;
  const net::TlsClientOptions& tls;
  // Whether the URL is https; nothing when the URL itself is invalid (reported at its key).
  std::optional<bool> https;
};

// A type's own credential that sets Authorization too (Elasticsearch's api_key, Splunk's token).
struct HttpCredentialKey {
  std::string_view key;  // "api_key"
  const std::string& value;
};

// Reports to `section` the rules across those keys: a password needs a username; basic auth, a
// bearer token or the type's own credential, one at most, nor an Authorization header besides, a
// client certificate with its key, TLS files only with https.
void check_http_client_keys(YamlSection& section, const HttpClientKeys& keys,
                            std::optional<HttpCredentialKey> credential = std::nullopt);

}  // namespace lc
