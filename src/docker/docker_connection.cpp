#include "docker/docker_connection.hpp"

#include <openssl/ssl.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <filesystem>
#include <stdexcept>

#include "net/tcp_resolve.hpp"
#include "net/tls_client_context.hpp"
#include "net/with_timeout.hpp"

namespace lc::docker {

namespace asio = boost::asio;

asio::awaitable<std::unique_ptr<DockerConnection>> DockerConnection::connect(
    executor_type executor, const DockerEndpoint& endpoint, asio::ssl::context* tls_context,
    Duration timeout) {
  std::unique_ptr<DockerConnection> connection;
  if (endpoint.transport == DockerEndpoint::Transport::kUnix) {
    connection.reset(new DockerConnection(std::in_place_type<UnixSocket>, executor));
  } else if (!endpoint.tls) {
    connection.reset(new DockerConnection(std::in_place_type<TcpSocket>, executor));
  } else {
    if (tls_context == nullptr) throw std::logic_error("TLS endpoint without a TLS context");
    connection.reset(new DockerConnection(std::in_place_type<TlsStream>, executor, *tls_context));
  }
  const std::string what = "connect to Docker at " + endpoint.describe();
  try {
    auto attempt = endpoint.transport == DockerEndpoint::Transport::kUnix
                       ? connection->connect_unix(endpoint)
                       : connection->connect_tcp(endpoint);
    co_await net::with_timeout(std::move(attempt), timeout, what);
  } catch (const boost::system::system_error& error) {
    if (error.code() == boost::system::errc::timed_out) throw;
    throw boost::system::system_error(error.code(), what);
  }
  co_return connection;
}

asio::awaitable<void> DockerConnection::connect_unix(const DockerEndpoint& endpoint) {
  auto& socket = std::get<UnixSocket>(stream_);
  co_await socket.async_connect(asio::local::stream_protocol::endpoint(endpoint.socket_path),
                                asio::use_awaitable);
}

asio::awaitable<void> DockerConnection::connect_tcp(const DockerEndpoint& endpoint) {
  const auto addresses = co_await net::resolve_tcp(endpoint.host, endpoint.port);
  if (auto* socket = std::get_if<TcpSocket>(&stream_)) {
    co_await asio::async_connect(*socket, addresses, asio::use_awaitable);
    socket->set_option(asio::ip::tcp::no_delay(true));
    co_return;
  }
  auto& tls = std::get<TlsStream>(stream_);
  co_await asio::async_connect(tls.next_layer(), addresses, asio::use_awaitable);
  tls.next_layer().set_option(asio::ip::tcp::no_delay(true));
  // SNI, and the daemon's certificate must name the host we dialled.
  if (!SSL_set_tlsext_host_name(tls.native_handle(), endpoint.host.c_str())) {
    throw boost::system::system_error(boost::system::error_code(static_cast<int>(::ERR_get_error()),
                                                                asio::error::get_ssl_category()),
                                      "set TLS server name");
  }
  if (endpoint.tls_verify)
    tls.set_verify_callback(asio::ssl::host_name_verification(endpoint.host));
  co_await tls.async_handshake(asio::ssl::stream_base::client, asio::use_awaitable);
}

void DockerConnection::close() noexcept {
  boost::system::error_code ignored;
  std::visit(
      [&](auto& stream) {
        if constexpr (std::is_same_v<std::decay_t<decltype(stream)>, TlsStream>) {
          stream.next_layer().close(ignored);
        } else {
          stream.close(ignored);
        }
      },
      stream_);
}

bool DockerConnection::is_open() const noexcept {
  return std::visit(
      [](const auto& stream) {
        if constexpr (std::is_same_v<std::decay_t<decltype(stream)>, TlsStream>) {
          return stream.next_layer().is_open();
        } else {
          return stream.is_open();
        }
      },
      stream_);
}

std::unique_ptr<asio::ssl::context> make_docker_tls_context(const DockerEndpoint& endpoint) {
  // A client certificate is optional unless one of its files is there (Docker's layout).
  std::error_code ignored;
  const bool client_certificate = std::filesystem::exists(endpoint.cert_file, ignored) ||
                                  std::filesystem::exists(endpoint.key_file, ignored);
  // The CA file is always Docker's own (ca.pem): an empty name is an error to report, not
  // the system's store.
  return net::make_tls_client_context(
      "Docker",
      {endpoint.tls_verify,
       endpoint.tls_verify && endpoint.ca_file.empty() ? std::string("(none)") : endpoint.ca_file,
       client_certificate ? endpoint.cert_file : std::string(),
       client_certificate ? endpoint.key_file : std::string()});
}

}  // namespace lc::docker
