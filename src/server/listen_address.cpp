#include "server/listen_address.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>
#include <stdexcept>
#include <string>

namespace lc::server {
namespace {

[[noreturn]] void fail(std::string_view listen, std::string_view reason) {
  throw std::invalid_argument("invalid listen address \"" + std::string(listen) +
                              "\": " + std::string(reason));
}

unsigned short parse_port(std::string_view listen, std::string_view text) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc{} || end != text.data() + text.size() || value > 65535) {
    fail(listen, "port must be a number from 0 to 65535");
  }
  return static_cast<unsigned short>(value);
}

}  // namespace

boost::asio::ip::tcp::endpoint parse_listen_address(std::string_view listen) {
  std::string_view host;
  std::string_view port;
  if (listen.starts_with('[')) {
    const auto close = listen.find(']');
    if (close == std::string_view::npos || listen.substr(close + 1, 1) != ":") {
      fail(listen, "expected [ipv6]:port");
    }
    host = listen.substr(1, close - 1);
    port = listen.substr(close + 2);
  } else {
    const auto colon = listen.rfind(':');
    if (colon == std::string_view::npos) fail(listen, "expected host:port");
    host = listen.substr(0, colon);
    port = listen.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) fail(listen, "write IPv6 hosts as [addr]:port");
  }
  const unsigned short port_number = parse_port(listen, port);
  if (host.empty()) return {boost::asio::ip::address_v4::any(), port_number};
  // Only "localhost" is resolved, and without DNS: a listen address should not depend on it.
  if (host == "localhost") return {boost::asio::ip::address_v4::loopback(), port_number};
  boost::system::error_code error;
  const auto address = boost::asio::ip::make_address(std::string(host), error);
  if (error) fail(listen, "host must be an IP address or localhost");
  return {address, port_number};
}

}  // namespace lc::server
