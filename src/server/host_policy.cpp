#include "server/host_policy.hpp"

#include <algorithm>
#include <boost/asio/ip/address.hpp>
#include <boost/system/error_code.hpp>
#include <cctype>
#include <utility>

namespace lc::server {
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(),
                                      [](unsigned char c) { return std::isdigit(c) != 0; });
}

// The host of an authority, without port or IPv6 brackets, lower case; nullopt if malformed.
std::optional<std::string> host_of(std::string_view authority) {
  if (authority.starts_with('[')) {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    const std::string_view rest = authority.substr(close + 1);
    if (!rest.empty() && !(rest.starts_with(':') && all_digits(rest.substr(1)))) {
      return std::nullopt;
    }
    return lower(authority.substr(1, close - 1));
  }
  const std::size_t colon = authority.rfind(':');
  if (colon != std::string_view::npos) {
    if (!all_digits(authority.substr(colon + 1))) return std::nullopt;
    authority = authority.substr(0, colon);
  }
  if (authority.empty() || authority.find_first_of(":/@ \t") != std::string_view::npos) {
    return std::nullopt;
  }
  if (authority.ends_with('.')) authority.remove_suffix(1);  // "localhost." is "localhost"
  return lower(authority);
}

bool is_loopback(const std::string& host) {
  if (host == "localhost") return true;
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(host, error);
  return !error && address.is_loopback();
}

// "http://host:port" -> "host:port"; nullopt for "null" and anything without a scheme.
std::optional<std::string_view> authority_of_origin(std::string_view origin) {
  const std::size_t scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) return std::nullopt;
  std::string_view authority = origin.substr(scheme_end + 3);
  if (authority.ends_with('/')) authority.remove_suffix(1);
  return authority;
}

}  // namespace

HostPolicy::HostPolicy(std::vector<std::string> allowed_hosts) {
  for (const std::string& host : allowed_hosts) {
    std::string_view name = host;
    if (name.starts_with('[') && name.ends_with(']')) name = name.substr(1, name.size() - 2);
    allowed_hosts_.push_back(lower(name));
  }
}

bool HostPolicy::allows(std::string_view authority) const {
  const auto host = host_of(authority);
  if (!host) return false;
  return is_loopback(*host) ||
         std::find(allowed_hosts_.begin(), allowed_hosts_.end(), *host) != allowed_hosts_.end();
}

std::optional<HostPolicy::Verdict> HostPolicy::check(std::optional<std::string_view> host,
                                                     std::optional<std::string_view> origin) const {
  if (!host || !allows(*host)) {
    return Verdict{Refusal::kHost,
                   json_error_response(421, host ? "host '" + std::string(*host) +
                                                       "' is not allowed (see server.allowed_hosts)"
                                                 : std::string("a Host header is required"))};
  }
  if (origin) {
    const auto authority = authority_of_origin(*origin);
    if (!authority || !allows(*authority)) {
      return Verdict{Refusal::kOrigin, json_error_response(403, "cross-site request refused")};
    }
  }
  return std::nullopt;
}

}  // namespace lc::server
