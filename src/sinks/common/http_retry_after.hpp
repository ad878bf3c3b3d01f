#pragma once

#include <chrono>
#include <optional>
#include <string_view>

namespace lc {

// How long a Retry-After header (RFC 9110 10.2.3) asks to wait, from `now`: delta-seconds
// ("120") or an HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"; a date already past is 0).
// Nothing for an absent or malformed value.
std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now);

}  // namespace lc
