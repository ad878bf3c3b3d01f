#include "server/http_connection.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <optional>
#include <string_view>

#include "server/http_exchange.hpp"
#include "server/http_server_state.hpp"

namespace lc::server {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;

namespace {

// Errors of the request itself (as opposed to the transport) deserve a 4xx answer.
bool is_malformed_request(const beast::error_code& error) {
  return error.category() == http::make_error_code(http::error::bad_target).category() &&
         error != http::error::end_of_stream && error != http::error::partial_message;
}

// Half-closes, then reads and drops what the client still sends (bounded in time and
// bytes): closing with unread bytes would send a RST that can destroy our error response
// before the client reads it.
asio::awaitable<void> linger_close(beast::tcp_stream& stream, std::chrono::milliseconds limit) {
  beast::error_code error;
  stream.socket().shutdown(asio::ip::tcp::socket::shutdown_send, error);
  if (error) co_return;
  stream.expires_after(std::min<std::chrono::milliseconds>(limit, std::chrono::seconds(2)));
  std::array<char, 4096> sink;
  std::size_t drained = 0;
  while (drained < 1024 * 1024) {
    drained += co_await stream.async_read_some(asio::buffer(sink),
                                               asio::redirect_error(asio::use_awaitable, error));
    if (error) break;
  }
  stream.close();
}

std::optional<std::string_view> header(const BeastRequest& request, http::field field) {
  const auto it = request.find(field);
  if (it == request.end()) return std::nullopt;
  return std::string_view(it->value());
}

// The host policy's answer to a request it refuses (API listener only), or nothing.
std::optional<HttpResponse> refusal_of(const BeastRequest& request, HttpServerState& state) {
  const auto& policy = state.options().host_policy;
  if (!policy) return std::nullopt;
  // Two Host headers: which one a proxy used is unknown.
  const auto host =
      request.count(http::field::host) == 1 ? header(request, http::field::host) : std::nullopt;
  auto refusal = policy->check(host, header(request, http::field::origin));
  if (!refusal) return std::nullopt;
  state.metrics().count_refusal(refusal->reason);
  return std::move(refusal->response);
}

}  // namespace

HttpConnection::HttpConnection(std::shared_ptr<HttpServerState> state, asio::ip::tcp::socket socket)
    : state_(std::move(state)), stream_(std::move(socket)), key_(state_->track(stream_)) {}

HttpConnection::~HttpConnection() { state_->untrack(key_); }

// GCC 12 wrongly reports -Wmismatched-new-delete for the frame of this coroutine (asio's
// awaitable frame has a sized class operator delete; GCC bug 109224). Nothing is mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<void> serve_http_connection(std::unique_ptr<HttpConnection> connection) {
  HttpServerState* const state = &connection->state();
  beast::tcp_stream& stream = connection->stream();
  const HttpServerOptions& options = state->options();
  // Room for one maximal request; the parser's limits trip before this does.
  beast::flat_buffer buffer(options.limits.max_header_bytes + options.limits.max_body_bytes +
                            16 * 1024);
  beast::error_code error;
  while (!state->stopped()) {
    RequestParser parser;
    apply_limits(parser, options.limits);
    stream.expires_after(options.idle_timeout);
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, error));
    if (state->stopped()) co_return;
    if (error == beast::error::timeout) {
      state->metrics().read_timeouts.inc();  // tcp_stream has closed the socket already
      co_return;
    }
    if (error && !is_malformed_request(error)) break;  // peer closed or reset

    const bool keep_alive = !error && parser.get().keep_alive();
    HttpResponse response;
    if (error) {
      response = parse_error_response(error);
    } else if (auto refused = refusal_of(parser.get(), *state)) {
      response = std::move(*refused);
    } else {
      // Named: GCC mishandles temporaries that live across a co_await.
      const HttpRequest request = to_http_request(parser.get());
      response = co_await state->router().route_async(request);
    }
    state->metrics().count_response(response.status);
    if (error) {
      beast::error_code ignored;
      spdlog::debug("{} server: malformed request from {}: {}", state->name(),
                    stream.socket().remote_endpoint(ignored).address().to_string(),
                    error.message());
    }
    const BeastResponse message = to_beast_response(response, keep_alive);
    stream.expires_after(options.idle_timeout);
    co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, error));
    if (error || state->stopped()) co_return;
    if (!keep_alive) break;
  }
  if (!state->stopped()) co_await linger_close(stream, options.idle_timeout);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace lc::server
