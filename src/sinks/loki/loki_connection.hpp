#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "sinks/loki/loki_sink_options.hpp"

namespace lc {

// A failure to exchange a request with Loki before any HTTP status came back.
class LokiTransportError : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,    // resolve or TCP connect failed
    kTls,        // TLS handshake failed (certificate, protocol)
    kTimeout,    // connect or request timeout
    kTransport,  // reset, closed or garbled mid-exchange
  };
  LokiTransportError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One TCP or TLS connection to Loki; the single owner of its socket (closed by the destructor).
class LokiConnection {
 public:
  using TcpSocket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<TcpSocket>;

  // Resolves, connects and (for https, with `tls_context`) handshakes, within `timeout`, on the
  // calling coroutine's executor. With `verify_host`, the server's certificate must name the
  // URL's host. Throws LokiTransportError naming the URL.
  static boost::asio::awaitable<std::unique_ptr<LokiConnection>> connect(
      const HttpUrl& url, boost::asio::ssl::context* tls_context, bool verify_host,
      Duration timeout);

  ~LokiConnection() { close(); }
  LokiConnection(const LokiConnection&) = delete;
  LokiConnection& operator=(const LokiConnection&) = delete;

  // Calls `function` with the TcpSocket or the TlsStream (Beast AsyncStreams both).
  template <class Function>
  decltype(auto) visit(Function&& function) {
    return std::visit(std::forward<Function>(function), stream_);
  }

  void close() noexcept;
  // Requests this connection has carried (a reused connection may have been closed by Loki).
  std::size_t requests() const { return requests_; }
  void count_request() { ++requests_; }

 private:
  template <class... Args>
  explicit LokiConnection(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  TcpSocket& socket();
  // `handshaking` tells the caller which step failed.
  boost::asio::awaitable<void> open(const HttpUrl& url, bool verify_host, bool& handshaking);

  std::variant<TcpSocket, TlsStream> stream_;
  std::size_t requests_ = 0;
};

// The TLS client context for `config` (CA file or the system store, client certificate and
// key, verification). Throws std::runtime_error naming the file that could not be loaded.
std::unique_ptr<boost::asio::ssl::context> make_loki_tls_context(const LokiSinkOptions& config);

}  // namespace lc
