#include "docker/docker_stream.hpp"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>
#include <stdexcept>

namespace lc::docker {

namespace {
constexpr std::size_t kSocketReadBytes = 16 * 1024;
}  // namespace

namespace asio = boost::asio;
namespace http = boost::beast::http;

DockerHttpStream::DockerHttpStream(std::unique_ptr<DockerConnection> connection,
                                   DockerStreamMetrics metrics)
    : connection_(std::move(connection)), metrics_(metrics) {
  parser_.body_limit(boost::none);  // a follow body has no end we could bound
  metrics_.opened.inc();
  metrics_.active.add(1);
}

DockerHttpStream::~DockerHttpStream() { close(); }

void DockerHttpStream::close() {
  if (closed_) return;
  closed_ = true;
  connection_->close();
  metrics_.closed.inc();
  metrics_.active.sub(1);
}

// GCC 12 wrongly reports -Wmismatched-new-delete for the frame of this coroutine (asio's
// awaitable frame has a sized class operator delete; GCC bug 109224). Nothing is mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<void> DockerHttpStream::start(DockerRequest request) {
  target_ = std::string(request.target());
  // Beast reads the socket in steps of the buffer's free capacity (512 bytes when empty):
  // room for many log entries per read keeps syscalls per line low.
  buffer_.reserve(kSocketReadBytes);
  co_await http::async_write(*connection_, request, asio::use_awaitable);
  co_await http::async_read_header(*connection_, buffer_, parser_, asio::use_awaitable);
  const unsigned status = parser_.get().result_int();
  if (status >= 200 && status < 300) co_return;
  // Docker explains errors in a small JSON body: read a bounded amount of it.
  constexpr std::size_t kMaxErrorBody = 64 * 1024;
  std::string body;
  char chunk[4096];
  while (body.size() < kMaxErrorBody) {
    const auto n = co_await read_some(std::span<char>(chunk, sizeof chunk));
    if (n == 0) break;
    body.append(chunk, n);
  }
  throw DockerApiError(status, docker_error_message("GET " + target_, status, body));
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

// dockerd sends every log entry as its own chunk, and Beast's read_some stops after one.
// Parsing the chunks already received, without waiting for the socket, fills the caller's
// buffer in one call: a tenth of the calls and coroutine resumes under load, and no delay
// (Beast's eager mode would wait for more input after the last complete chunk).
void DockerHttpStream::parse_buffered(http::buffer_body::value_type& body,
                                      boost::system::error_code& error) {
  while (body.size > 0 && buffer_.size() > 0 && !parser_.is_done()) {
    boost::system::error_code put_error;
    const std::size_t used = parser_.put(buffer_.data(), put_error);
    buffer_.consume(used);
    if (put_error == http::error::need_more || put_error == http::error::need_buffer) return;
    if (put_error) {
      error = put_error;
      return;
    }
    if (used == 0) return;
  }
}

asio::awaitable<std::size_t> DockerHttpStream::read_some(std::span<char> buffer) {
  if (buffer.empty()) throw std::invalid_argument("DockerStream::read_some: empty buffer");
  while (!closed_ && !parser_.is_done()) {
    auto& body = parser_.get().body();
    body.data = buffer.data();
    body.size = buffer.size();
    boost::system::error_code error;
    co_await http::async_read_some(*connection_, buffer_, parser_,
                                   asio::redirect_error(asio::use_awaitable, error));
    if (!error) parse_buffered(body, error);
    const std::size_t received = buffer.size() - body.size;
    body.data = nullptr;
    if (error == http::error::need_buffer) error = {};  // the caller's buffer is full
    if (closed_) break;
    if (error) throw boost::system::system_error(error, "Docker stream GET " + target_);
    if (received > 0) co_return received;
  }
  if (closed_) {
    throw boost::system::system_error(asio::error::operation_aborted,
                                      "Docker stream GET " + target_ + " closed");
  }
  co_return 0;
}

}  // namespace lc::docker
