#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "sinks/common/http_url.hpp"

namespace lc {

// A failure to exchange a request with an HTTP backend before any HTTP status came back.
class HttpTransportError : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,    // resolve or TCP connect failed
    kTls,        // TLS handshake failed (certificate, protocol)
    kTimeout,    // connect or request timeout
    kTransport,  // reset, closed or garbled mid-exchange
  };
  HttpTransportError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One TCP or TLS connection to an HTTP backend; the single owner of its socket (closed by the
// destructor).
class HttpSinkConnection {
 public:
  using TcpSocket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<TcpSocket>;

  // Resolves, connects and (for https, with `tls_context`) handshakes, within `timeout`, on the
  // calling coroutine's executor. With `verify_host`, the server's certificate must name the
  // URL's host. Throws HttpTransportError naming `backend` ("Loki") and the URL.
  static boost::asio::awaitable<std::unique_ptr<HttpSinkConnection>> connect(
      const std::string& backend, const HttpUrl& url, boost::asio::ssl::context* tls_context,
      bool verify_host, std::chrono::milliseconds timeout);

  ~HttpSinkConnection() { close(); }
  HttpSinkConnection(const HttpSinkConnection&) = delete;
  HttpSinkConnection& operator=(const HttpSinkConnection&) = delete;

  // Calls `function` with the TcpSocket or the TlsStream (Beast AsyncStreams both).
  template <class Function>
  decltype(auto) visit(Function&& function) {
    return std::visit(std::forward<Function>(function), stream_);
  }

  void close() noexcept;
  // Requests this connection has carried (a reused connection may have been closed by the
  // backend while idle).
  std::size_t requests() const { return requests_; }
  void count_request() { ++requests_; }

 private:
  template <class... Args>
  explicit HttpSinkConnection(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  TcpSocket& socket();
  // `handshaking` tells the caller which step failed.
  boost::asio::awaitable<void> open(const HttpUrl& url, bool verify_host, bool& handshaking);

  std::variant<TcpSocket, TlsStream> stream_;
  std::size_t requests_ = 0;
};

}  // namespace lc
