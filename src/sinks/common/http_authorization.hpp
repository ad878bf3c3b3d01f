#pragma once

#include <string>
#include <string_view>

namespace lc {

// The Authorization header value of an HTTP sink's credentials: "Basic <base64(user:pass)>"
// when `username` is set, else "Bearer <token>" when `bearer_token` is, else empty (none).
std::string http_authorization(std::string_view username, std::string_view password,
                               std::string_view bearer_token);

}  // namespace lc
