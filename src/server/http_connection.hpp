#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <memory>

namespace lc::server {

class HttpServerState;

// Serves one accepted connection until the peer closes, a request is malformed, the idle
// timeout passes or the server stops. Owns the socket: it is closed on every exit path.
boost::asio::awaitable<void> serve_http_connection(std::shared_ptr<HttpServerState> state,
                                                   boost::asio::ip::tcp::socket socket);

}  // namespace lc::server
