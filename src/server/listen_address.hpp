#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <string_view>

namespace lc::server {

// Parses "host:port" as the config writes it: "127.0.0.1:8401", "[::1]:8401",
// "localhost:8401" (127.0.0.1), ":8401" or "0.0.0.0:8401" (every IPv4 interface).
// Port 0 asks for an ephemeral port. Throws std::invalid_argument with the reason.
boost::asio::ip::tcp::endpoint parse_listen_address(std::string_view listen);

}  // namespace lc::server
