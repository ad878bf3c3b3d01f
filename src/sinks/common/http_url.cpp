#include "sinks/common/http_url.hpp"

#include <fmt/format.h>

#include <charconv>
#include <optional>

namespace lc {
namespace {

// The host of a URL authority: "name", "1.2.3.4" or "[v6]", with an optional ":port".
ValueProblem parse_authority(std::string_view authority, bool https, HttpUrl& out) {
  std::string_view host = authority;
  std::optional<std::string_view> port_text;
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return "unclosed '[' in the IPv6 address";
    host = authority.substr(1, close - 1);
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "expected ':port' after the IPv6 address";
      port_text = rest.substr(1);
    }
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) return "write an IPv6 address in brackets: [::1]";
  }
  if (host.empty()) return "no host";
  out.host = std::string(host);
  out.port = https ? 443 : 80;
  if (port_text) {
    unsigned value = 0;
    const char* end = port_text->data() + port_text->size();
    auto [parsed_end, error] = std::from_chars(port_text->data(), end, value);
    if (port_text->empty() || error != std::errc{} || parsed_end != end || value == 0 ||
        value > 65535) {
      return fmt::format("invalid port {}: expected 1 to 65535", quote_for_message(*port_text));
    }
    out.port = static_cast<std::uint16_t>(value);
  }
  return std::nullopt;
}

}  // namespace

std::string HttpUrl::host_header() const {
  const bool v6 = host.find(':') != std::string::npos;
  return v6 ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

std::string HttpUrl::describe() const {
  return fmt::format("{}://{}{}", https ? "https" : "http", host_header(), target);
}

ValueProblem parse_http_url(std::string_view text, std::string_view default_path,
                            std::string_view example, HttpUrl& out) {
  const auto problem = [&](std::string_view why) -> ValueProblem {
    return fmt::format("expected a URL such as {} ({}), got {}", example, why,
                       quote_for_message(text));
  };
  HttpUrl url;
  std::string_view rest;
  if (text.starts_with("http://")) {
    rest = text.substr(7);
  } else if (text.starts_with("https://")) {
    url.https = true;
    rest = text.substr(8);
  } else {
    return problem("the scheme must be http:// or https://");
  }
  if (rest.find('#') != std::string_view::npos) return problem("no '#fragment'");
  if (rest.find_first_of(" \t\r\n") != std::string_view::npos) return problem("no blanks");
  const std::size_t path_start = rest.find_first_of("/?");
  const std::string_view authority = rest.substr(0, path_start);
  if (authority.find('@') != std::string_view::npos) {
    return problem("no user:password@ in the URL: set username and password");
  }
  if (auto bad = parse_authority(authority, url.https, url)) return problem(*bad);
  if (path_start == std::string_view::npos) {
    url.target = std::string(default_path);
  } else if (rest[path_start] == '?') {
    url.target = std::string(default_path) + std::string(rest.substr(path_start));
  } else {
    url.target = std::string(rest.substr(path_start));
    if (url.target == "/") url.target = std::string(default_path);
  }
  out = std::move(url);
  return std::nullopt;
}

void percent_encode_value(std::string_view text, std::string& out) {
  for (const char c : text) {
    const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += c;
    } else {
      fmt::format_to(std::back_inserter(out), "%{:02X}", static_cast<unsigned char>(c));
    }
  }
}

}  // namespace lc
