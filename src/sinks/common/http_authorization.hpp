#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lc {

// The Authorization header value of an HTTP sink's credentials: "Basic <base64(user:pass)>"
// when `username` is set, else "Bearer <token>" when `bearer_token` is, else empty (none).
std::string http_authorization(std::string_view username, std::string_view password,
                               std::string_view bearer_token);

// Appends ("Authorization", http_authorization(...)) to `headers` when there are credentials.
void add_http_authorization(std::vector<std::pair<std::string, std::string>>& headers,
                            std::string_view username, std::string_view password,
                            std::string_view bearer_token);

}  // namespace lc
