#include "config/config_value_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>

namespace lc {
namespace {

bool is_digits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](unsigned char c) { return std::isdigit(c); });
}

bool is_port(std::string_view text) {
  unsigned port = 0;
  if (!is_digits(text) || text.size() > 5) return false;
  std::from_chars(text.data(), text.data() + text.size(), port);
  return port <= 65535;
}

bool is_host_name_or_ipv4(std::string_view host) {
  return !host.empty() && std::all_of(host.begin(), host.end(), [](unsigned char c) {
    return std::isalnum(c) || c == '.' || c == '-' || c == '_';
  });
}

bool is_bracketed_ipv6(std::string_view host) {
  if (host.size() < 4 || host.front() != '[' || host.back() != ']') return false;
  host = host.substr(1, host.size() - 2);
  return host.find(':') != std::string_view::npos &&
         std::all_of(host.begin(), host.end(), [](unsigned char c) {
           return std::isxdigit(c) || c == ':' || c == '.' || c == '%' || std::isalnum(c);
         });
}

// "host:port"; when `port_optional`, a bare host is accepted too.
bool is_host_and_port(std::string_view text, bool port_optional) {
  const bool bracketed = text.starts_with('[');
  const std::size_t host_end = bracketed ? text.find(']') + 1 : text.rfind(':');
  if (bracketed && host_end == 0) return false;  // find() gave npos: no closing bracket
  const std::string_view host = text.substr(0, host_end);
  const bool host_ok = bracketed ? is_bracketed_ipv6(host) : is_host_name_or_ipv4(host);
  if (!host_ok) return false;
  if (host_end >= text.size()) return port_optional;
  return text[host_end] == ':' && is_port(text.substr(host_end + 1));
}

}  // namespace

std::string quote_for_message(std::string_view value) {
  constexpr std::size_t kMaxShown = 60;
  if (value.size() <= kMaxShown) return fmt::format("'{}'", value);
  return fmt::format("'{}...' ({} bytes)", value.substr(0, kMaxShown), value.size());
}

std::string describe_choices(const std::string_view* choices, std::size_t count, char quote) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    if (i > 0) text += i + 1 == count ? " or " : ", ";
    text += fmt::format("{}{}{}", quote, choices[i], quote);
  }
  return text;
}

ValueProblem check_log_level(std::string_view value) {
  if (std::find(kLogLevels.begin(), kLogLevels.end(), value) != kLogLevels.end()) {
    return std::nullopt;
  }
  return fmt::format("expected {}, got {}", describe_choices(kLogLevels.data(), kLogLevels.size()),
                     quote_for_message(value));
}

ValueProblem check_listen_address(std::string_view value) {
  if (value.empty() || is_host_and_port(value, /*port_optional=*/false)) return std::nullopt;
  return fmt::format(
      "expected host:port such as 127.0.0.1:8401 or [::1]:8401 (\"\" disables), got {}",
      quote_for_message(value));
}

ValueProblem check_docker_host(std::string_view value) {
  if (value.empty()) return std::nullopt;
  if (value.starts_with("unix://")) {
    if (value.substr(7).starts_with('/')) return std::nullopt;
  } else if (value.starts_with("tcp://")) {
    if (is_host_and_port(value.substr(6), /*port_optional=*/true)) return std::nullopt;
  }
  return fmt::format(
      "expected unix:///path/to/docker.sock or tcp://host:port (\"\" uses DOCKER_HOST), got {}",
      quote_for_message(value));
}

ValueProblem check_api_version(std::string_view value) {
  const std::size_t dot = value.find('.');
  if (value.empty() || (dot != std::string_view::npos && is_digits(value.substr(0, dot)) &&
                        is_digits(value.substr(dot + 1)))) {
    return std::nullopt;
  }
  return fmt::format("expected an API version such as 1.41 (\"\" negotiates), got {}",
                     quote_for_message(value));
}

ValueProblem check_container_id(std::string_view value) {
  const bool hex = std::all_of(value.begin(), value.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  });
  if (value.empty() || (hex && value.size() >= 12 && value.size() <= 64)) return std::nullopt;
  return fmt::format("expected a container id of 12 to 64 lowercase hex digits, got {}",
                     quote_for_message(value));
}

ValueProblem check_label_selector(std::string_view value) {
  const std::string_view key = value.substr(0, value.find('='));
  const bool key_ok = !key.empty() && std::none_of(key.begin(), key.end(),
                                                   [](unsigned char c) { return std::isspace(c); });
  if (key_ok) return std::nullopt;
  return fmt::format("expected a label selector 'key' or 'key=value', got {}",
                     quote_for_message(value));
}

ValueProblem check_not_empty(std::string_view value) {
  if (!value.empty()) return std::nullopt;
  return std::string("must not be empty");
}

ValueProblem check_allowed_host(std::string_view value) {
  const bool bracketed = value.starts_with('[') && value.ends_with(']');
  const std::string_view forbidden = bracketed ? "/@ \t" : ":/@ \t[]";
  if (!value.empty() && value.find_first_of(forbidden) == std::string_view::npos) {
    return std::nullopt;
  }
  return fmt::format(
      "expected a host name or address without scheme or port, such as "
      "agent.example.com, 10.0.0.5 or [fd00::1], got '{}'",
      value);
}

ValueProblem check_distinct_listeners(std::string_view listen, std::string_view metrics_listen) {
  if (listen.empty() || listen != metrics_listen || listen.ends_with(":0")) return std::nullopt;
  return fmt::format("server.listen and server.metrics_listen must differ (both are '{}')", listen);
}

}  // namespace lc
