#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/local/stream_protocol.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <memory>
#include <utility>
#include <variant>

#include "config/agent_config.hpp"
#include "docker/docker_endpoint.hpp"

namespace lc::docker {

// One connection to the engine over a Unix socket, TCP or TLS-over-TCP. It models Beast's
// AsyncStream by forwarding reads and writes to whichever socket it holds, and it is the single
// owner of that socket: the destructor closes it.
class DockerConnection {
 public:
  using executor_type = boost::asio::any_io_executor;
  using UnixSocket = boost::asio::local::stream_protocol::socket;
  using TcpSocket = boost::asio::ip::tcp::socket;
  using TlsStream = boost::asio::ssl::stream<TcpSocket>;

  // Connects (and for TLS, handshakes) within `timeout`. `tls_context` is required when
  // endpoint.tls. Throws boost::system::system_error whose message names the endpoint.
  static boost::asio::awaitable<std::unique_ptr<DockerConnection>> connect(
      executor_type executor, const DockerEndpoint& endpoint,
      boost::asio::ssl::context* tls_context, Duration timeout);

  ~DockerConnection() { close(); }
  DockerConnection(const DockerConnection&) = delete;
  DockerConnection& operator=(const DockerConnection&) = delete;

  executor_type get_executor() noexcept {
    return std::visit([](auto& stream) -> executor_type { return stream.get_executor(); }, stream_);
  }

  template <class MutableBufferSequence, class ReadToken>
  auto async_read_some(const MutableBufferSequence& buffers, ReadToken&& token) {
    return boost::asio::async_initiate<ReadToken, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const MutableBufferSequence& target) {
          std::visit([&](auto& stream) { stream.async_read_some(target, std::move(handler)); },
                     stream_);
        },
        token, buffers);
  }

  template <class ConstBufferSequence, class WriteToken>
  auto async_write_some(const ConstBufferSequence& buffers, WriteToken&& token) {
    return boost::asio::async_initiate<WriteToken, void(boost::system::error_code, std::size_t)>(
        [this](auto handler, const ConstBufferSequence& source) {
          std::visit([&](auto& stream) { stream.async_write_some(source, std::move(handler)); },
                     stream_);
        },
        token, buffers);
  }

  // Closes the socket; pending operations complete with operation_aborted. Idempotent.
  void close() noexcept;
  bool is_open() const noexcept;

 private:
  template <class... Args>
  explicit DockerConnection(Args&&... args) : stream_(std::forward<Args>(args)...) {}

  boost::asio::awaitable<void> connect_unix(const DockerEndpoint& endpoint);
  boost::asio::awaitable<void> connect_tcp(const DockerEndpoint& endpoint);

  std::variant<UnixSocket, TcpSocket, TlsStream> stream_;
};

// The TLS context for `endpoint` (CA, client certificate and key as Docker lays them out).
// Throws std::runtime_error naming the file that could not be loaded.
std::unique_ptr<boost::asio::ssl::context> make_docker_tls_context(const DockerEndpoint& endpoint);

}  // namespace lc::docker
