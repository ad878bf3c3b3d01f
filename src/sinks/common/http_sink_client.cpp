#include "sinks/common/http_sink_client.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>

#include "config/version.hpp"
#include "net/tls_client_context.hpp"
#include "net/with_timeout.hpp"

namespace lc {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

template <class Stream>
asio::awaitable<HttpSinkResponse> exchange_on(
    Stream& stream, const http::request<http::span_body<const char>>& request,
    boost::beast::flat_buffer& buffer, std::uint64_t max_body_bytes, bool& reusable,
    bool& answered) {
  co_await http::async_write(stream, request, asio::use_awaitable);
  http::response_parser<http::string_body> parser;
  parser.body_limit(max_body_bytes);
  co_await http::async_read_header(stream, buffer, parser, asio::use_awaitable);
  answered = true;  // from here on, the backend has seen the request
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  auto response = parser.release();
  const unsigned status = response.result_int();
  // Leftover bytes would belong to no request: such a connection is not reused.
  reusable = status / 100 == 2 && response.keep_alive() && buffer.size() == 0;
  co_return HttpSinkResponse{status, std::move(response.body()),
                             std::string(response[http::field::content_type]),
                             std::string(response[http::field::retry_after])};
}

}  // namespace

HttpSinkClient::HttpSinkClient(HttpSinkClientSettings settings, Counter& connections_opened,
                               Counter& reused_connection_failures)
    : settings_(std::move(settings)),
      user_agent_("log-capturer/" + std::string(agent_version())),
      tls_context_(settings_.url.https
                       ? net::make_tls_client_context(settings_.backend, settings_.tls)
                       : nullptr),
      connections_opened_(connections_opened),
      reused_connection_failures_(reused_connection_failures) {}

void HttpSinkClient::close() noexcept {
  connection_.reset();
  buffer_.clear();
}

asio::awaitable<HttpSinkResponse> HttpSinkClient::post(const HttpSinkRequestBody& body,
                                                       std::string_view target) {
  const HttpUrl& url = settings_.url;
  Request request(settings_.method, target.empty() ? std::string_view(url.target) : target, 11);
  request.set(http::field::host, url.host_header());
  request.set(http::field::user_agent, user_agent_);
  request.set(http::field::content_type, body.content_type);
  if (!body.content_encoding.empty())
    request.set(http::field::content_encoding, body.content_encoding);
  for (const auto& [name, value] : settings_.headers) request.set(name, value);
  request.keep_alive(true);
  request.body() = Request::body_type::value_type(body.data.data(), body.data.size());
  request.prepare_payload();

  const std::string what = settings_.action + " to " + settings_.backend + " at " + url.describe();
  for (bool replaced_stale = false;; replaced_stale = true) {
    if (!connection_) {
      // Named, not a temporary in the co_await: GCC 12 destroys such temporaries twice.
      const SinkAddress address{url.host, url.port, url.describe()};
      connection_ =
          co_await SinkConnection::connect(settings_.backend, address, tls_context_.get(),
                                           settings_.tls.verify, settings_.connect_timeout);
      connections_opened_.inc();
    }
    const bool reused = connection_->requests() > 0;
    connection_->count_request();
    boost::system::error_code error;
    bool answered = false;
    try {
      bool reusable = false;
      HttpSinkResponse response = co_await net::with_timeout(exchange(request, reusable, answered),
                                                             settings_.request_timeout, what);
      if (!reusable) close();
      co_return response;
    } catch (const boost::system::system_error& failure) {
      error = failure.code();
      close();
      if (error == boost::system::errc::timed_out) {
        throw SinkTransportError(SinkTransportError::Kind::kTimeout, failure.what());
      }
    }
    // Sent again at once only when a reused connection failed before any answer began: one the
    // backend closed while idle. A failure within an answer is the backend's, not staleness.
    if (!reused || replaced_stale || answered || error == asio::error::operation_aborted) {
      throw SinkTransportError(SinkTransportError::Kind::kTransport, what + ": " + error.message());
    }
    reused_connection_failures_.inc();
    spdlog::debug("{}: reused connection to {} failed ({}); retrying on a new one",
                  settings_.backend, url.describe(), error.message());
  }
}

asio::awaitable<HttpSinkResponse> HttpSinkClient::exchange(const Request& request, bool& reusable,
                                                           bool& answered) {
  co_return co_await connection_->visit([&](auto& stream) {
    return exchange_on(stream, request, buffer_, settings_.max_response_bytes, reusable, answered);
  });
}

}  // namespace lc
