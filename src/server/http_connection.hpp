#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <memory>

namespace lc::server {

class HttpServerState;

// One accepted connection: owns its stream (closed on destruction) and its registration
// with the server, made at accept time so the connection cap counts it at once and
// stop() can close it even before its coroutine first runs.
class HttpConnection {
 public:
  HttpConnection(std::shared_ptr<HttpServerState> state, boost::asio::ip::tcp::socket socket);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  HttpServerState& state() { return *state_; }
  boost::beast::tcp_stream& stream() { return stream_; }

 private:
  std::shared_ptr<HttpServerState> state_;
  boost::beast::tcp_stream stream_;
  std::uint64_t key_;
};

// Serves the connection until the peer closes, a request is malformed, the idle timeout
// passes or the server stops.
boost::asio::awaitable<void> serve_http_connection(std::unique_ptr<HttpConnection> connection);

}  // namespace lc::server
