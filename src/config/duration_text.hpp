#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/agent_config.hpp"

namespace lc {

// "250ms", "1s", "90s", "5m", "1h", compounds such as "1m30s", or a bare integer of
// milliseconds. Returns nullopt for anything else, including negative values and overflow.
std::optional<Duration> parse_duration(std::string_view text);

// The shortest exact form parse_duration accepts back: "250ms", "90s", "5m", "1h30m", "0ms".
std::string format_duration(Duration duration);

}  // namespace lc
