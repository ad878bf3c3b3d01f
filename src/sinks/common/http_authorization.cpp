#include "sinks/common/http_authorization.hpp"

#include <openssl/evp.h>

namespace lc {
namespace {

std::string base64(std::string_view text) {
  std::string out(4 * ((text.size() + 2) / 3), '\0');
  const int written = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                      reinterpret_cast<const unsigned char*>(text.data()),
                                      static_cast<int>(text.size()));
  out.resize(static_cast<std::size_t>(written));
  return out;
}

}  // namespace

std::string http_authorization(std::string_view username, std::string_view password,
                               std::string_view bearer_token) {
  if (!username.empty()) {
    return "Basic " + base64(std::string(username) + ":" + std::string(password));
  }
  if (!bearer_token.empty()) return "Bearer " + std::string(bearer_token);
  return {};
}

void add_http_authorization(std::vector<std::pair<std::string, std::string>>& headers,
                            std::string_view username, std::string_view password,
                            std::string_view bearer_token) {
  std::string value = http_authorization(username, password, bearer_token);
  if (!value.empty()) headers.emplace_back("Authorization", std::move(value));
}

}  // namespace lc
