#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace lc {

// Checks on single values shared by the YAML loader and the command line. Each returns the
// problem as a message ("expected ..., got '...'"), or nullopt when the value is fine.
using ValueProblem = std::optional<std::string>;

inline constexpr std::array<std::string_view, 5> kLogLevels{"trace", "debug", "info", "warn",
                                                            "error"};

ValueProblem check_log_level(std::string_view value);
// "host:port" (host a name, an IPv4 address or a bracketed IPv6 address; port 0-65535, 0 picks
// a free port). Empty disables the listener.
ValueProblem check_listen_address(std::string_view value);
// Empty (DOCKER_HOST or the default socket), "unix:///absolute/path" or "tcp://host[:port]".
ValueProblem check_docker_host(std::string_view value);
// Empty (negotiate) or "MAJOR.MINOR", e.g. "1.41".
ValueProblem check_api_version(std::string_view value);
// Empty (detect) or 12 to 64 lowercase hex digits.
ValueProblem check_container_id(std::string_view value);
// "key" or "key=value" with a non-empty key and no blanks in the key.
ValueProblem check_label_selector(std::string_view value);
ValueProblem check_not_empty(std::string_view value);
// A host name or address the API answers to: "agent.example.com", "10.0.0.5", "[fd00::1]".
ValueProblem check_allowed_host(std::string_view value);
// The API and /metrics need two addresses, except port 0 (the kernel picks each a free port).
ValueProblem check_distinct_listeners(std::string_view listen, std::string_view metrics_listen);

// "'a', 'b' or 'c'": for messages listing the valid choices.
// `quote`: how each is marked ('\'' in messages, '`' in the Markdown reference).
std::string describe_choices(const std::string_view* choices, std::size_t count, char quote = '\'');

// The value quoted for a message, shortened so a pasted blob does not flood the terminal.
std::string quote_for_message(std::string_view value);

}  // namespace lc
