#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace lc {

// `body` made fit for a log line and a reason: one line, blanks trimmed, at most
// kMaxDetailBytes, control bytes replaced by '?' and invalid UTF-8 by U+FFFD.
std::string http_response_excerpt(std::string_view body);
inline constexpr std::size_t kMaxDetailBytes = 512;

// "HTTP 503 Service Unavailable: <the body's excerpt>", for reasons and logs.
std::string describe_http_status(unsigned status, std::string_view body);

}  // namespace lc
