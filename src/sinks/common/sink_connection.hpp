#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <variant>

#include "sinks/common/sink_address.hpp"

namespace lc {

// A failure to exchange data with a backend before it answered (an HTTP status, a RELP rsp).
class SinkTransportError : public std::runtime_error {
 public:
  enum class Kind {
    kConnect,    // resolve or TCP connect failed
    kTls,        // TLS handshake failed (certificate, protocol)
    kTimeout,    // connect or request timeout
    kTransport,  // reset, closed or garbled mid-exchange
  };
  SinkTransportError(Kind kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  Kind kind() const { return kind_; }

 private:
  Kind kind_;
};

// One TCP or TLS connection to a backend (HTTP, syslog); the single owner of its socket (closed
// by the destructor).
class SinkConnection {
 public:
  using TcpSocket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<TcpSocket>;

  // Resolves, connects and (with a `tls_context`) handshakes, within `timeout`, on the calling
  // coroutine's executor. With `verify_host`, the server's certificate must name the address's
  // host. Throws SinkTransportError naming `backend` ("Loki") and the address.
  static boost::asio::awaitable<std::unique_ptr<SinkConnection>> connect(
      const std::string& backend, const SinkAddress& address,
      boost::asio::ssl::context* tls_context, bool verify_host, std::chrono::milliseconds timeout);

  ~SinkConnection() { close(); }
  SinkConnection(const SinkConnection&) = delete;
  SinkConnection& operator=(const SinkConnection&) = delete;

  // Calls `function` with the TcpSocket or the TlsStream (Beast AsyncStreams both).
  template <class Function>
  decltype(auto) visit(Function&& function) {
    return std::visit(std::forward<Function>(function), stream_);
  }

  void close() noexcept;
  // Closes with a reset (SO_LINGER 0): what the kernel still holds for the backend is dropped
  // rather than sent after the caller gave up on it (and will send it again).
  void abort() noexcept;
  // Cancels the operations pending on it; the connection stays open.
  void cancel() noexcept;
  bool tls() const { return std::holds_alternative<TlsStream>(stream_); }
  // The TCP socket's descriptor, for what Asio does not wrap (the kernel's send queue).
  int native_socket() { return socket().native_handle(); }
  // Requests this connection has carried (a reused connection may have been closed by the
  // backend while idle).
  std::size_t requests() const { return requests_; }
  void count_request() { ++requests_; }

 private:
  template <class... Args>
  explicit SinkConnection(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  TcpSocket& socket();
  // `handshaking` tells the caller which step failed.
  boost::asio::awaitable<void> open(const SinkAddress& address, bool verify_host,
                                    bool& handshaking);

  std::variant<TcpSocket, TlsStream> stream_;
  std::size_t requests_ = 0;
};

}  // namespace lc
