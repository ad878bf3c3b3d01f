#include "sinks/common/sink_connection.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include "net/tcp_resolve.hpp"
#include "net/with_timeout.hpp"

namespace lc {

namespace asio = boost::asio;

asio::awaitable<std::unique_ptr<SinkConnection>> SinkConnection::connect(
    const std::string& backend, const SinkAddress& address, asio::ssl::context* tls_context,
    bool verify_host, std::chrono::milliseconds timeout) {
  auto executor = co_await asio::this_coro::executor;
  std::unique_ptr<SinkConnection> connection;
  if (tls_context == nullptr) {
    connection.reset(new SinkConnection(std::in_place_type<TcpSocket>, executor));
  } else {
    connection.reset(new SinkConnection(std::in_place_type<TlsStream>, executor, *tls_context));
  }
  const std::string what = "connect to " + backend + " at " + address.description;
  bool handshaking = false;
  try {
    // with_timeout() waits for the attempt to finish, so it may refer to this frame.
    co_await net::with_timeout(connection->open(address, verify_host, handshaking), timeout, what);
  } catch (const boost::system::system_error& error) {
    if (error.code() == boost::system::errc::timed_out) {
      throw SinkTransportError(SinkTransportError::Kind::kTimeout, error.what());
    }
    throw SinkTransportError(
        handshaking ? SinkTransportError::Kind::kTls : SinkTransportError::Kind::kConnect,
        what + (handshaking ? ": TLS handshake failed: " : ": ") + error.code().message());
  }
  co_return connection;
}

SinkConnection::TcpSocket& SinkConnection::socket() {
  if (auto* tls = std::get_if<TlsStream>(&stream_)) return tls->next_layer();
  return std::get<TcpSocket>(stream_);
}

asio::awaitable<void> SinkConnection::open(const SinkAddress& address, bool verify_host,
                                           bool& handshaking) {
  const std::string& host = address.host;
  const auto addresses = co_await net::resolve_tcp(host, address.port);
  co_await asio::async_connect(socket(), addresses, asio::use_awaitable);
  socket().set_option(asio::ip::tcp::no_delay(true));
  auto* tls = std::get_if<TlsStream>(&stream_);
  if (tls == nullptr) co_return;
  handshaking = true;
  boost::system::error_code not_an_address;
  asio::ip::make_address(host, not_an_address);
  // SNI names hosts, never addresses (RFC 6066).
  if (not_an_address && !SSL_set_tlsext_host_name(tls->native_handle(), host.c_str())) {
    throw boost::system::system_error(boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                                                asio::error::get_ssl_category()),
                                      "set TLS server name");
  }
  if (verify_host) tls->set_verify_callback(asio::ssl::host_name_verification(host));
  co_await tls->async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
}

void SinkConnection::close() noexcept {
  boost::system::error_code ignored;
  socket().close(ignored);
}

void SinkConnection::abort() noexcept {
  boost::system::error_code ignored;
  socket().set_option(asio::socket_base::linger(true, 0), ignored);
  socket().close(ignored);
}

void SinkConnection::cancel() noexcept {
  boost::system::error_code ignored;
  socket().cancel(ignored);
}

}  // namespace lc
