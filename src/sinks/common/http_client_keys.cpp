#include "sinks/common/http_client_keys.hpp"

#include <fmt/format.h>
#include <strings.h>

#include "config/yaml_section.hpp"

namespace lc {

void check_http_client_keys(YamlSection& section, const HttpClientKeys& keys,
                            std::optional<HttpCredentialKey> credential) {
  if (!keys.password.empty() && keys.username.empty()) {
    section.fail("password", "set username too: they are the basic-auth credentials");
  }
  if (!keys.bearer_token.empty() && !keys.username.empty()) {
    section.fail("bearer_token",
                 "use either username/password (basic auth) or bearer_token, not both");
  }
  const bool has_credential = credential && !credential->value.empty();
  if (has_credential && (!keys.username.empty() || !keys.bearer_token.empty())) {
    section.fail(
        credential->key,
        fmt::format("one way of authenticating: {}, username or bearer_token", credential->key));
  }
  for (const auto& [name, value] : keys.headers) {
    if (strcasecmp(name.c_str(), "Authorization") != 0) continue;
    if (has_credential) {
      section.fail("headers", fmt::format("Authorization is the {}'s", credential->key));
    } else if (!keys.username.empty() || !keys.bearer_token.empty()) {
      section.fail("headers", "sets Authorization, and so do username or bearer_token: use one");
    }
  }
  if (keys.tls.cert_file.empty() != keys.tls.key_file.empty()) {
    section.fail(keys.tls.cert_file.empty() ? "key_file" : "cert_file",
                 "cert_file and key_file go together (the client certificate and its private key)");
  }
  if (keys.https == false) {
    for (const auto& [key, value] :
         {std::pair{"ca_file", &keys.tls.ca_file}, std::pair{"cert_file", &keys.tls.cert_file},
          std::pair{"key_file", &keys.tls.key_file}}) {
      if (!value->empty()) section.fail(key, "only used with an https:// URL");
    }
  }
}

}  // namespace lc
