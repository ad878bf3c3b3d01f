#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace lc::net {

// The addresses to connect to for `host` and `port`. An IP address is taken as it is: only a
// host name goes to Asio's resolver, whose first use starts a thread that lives as long as the
// loop (a reload that adds a sink by address then leaves the thread count where it was).
boost::asio::awaitable<std::vector<boost::asio::ip::tcp::endpoint>> resolve_tcp(
    const std::string& host, std::uint16_t port);

}  // namespace lc::net
