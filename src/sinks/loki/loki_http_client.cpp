#include "sinks/loki/loki_http_client.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/system/system_error.hpp>
#include <stdexcept>

#include "config/version.hpp"
#include "net/with_timeout.hpp"
#include "sinks/common/http_authorization.hpp"

namespace lc {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Loki's answers are short; an error listing every rejected entry of a large batch is the
// longest, and is cut for logs anyway.
constexpr std::uint64_t kMaxResponseBodyBytes = 4ull << 20;

HttpUrl parse_url(const std::string& text) {
  HttpUrl url;
  if (auto problem = parse_loki_push_url(text, url)) {
    throw std::invalid_argument("loki url: " + *problem);
  }
  return url;
}

template <class Stream>
asio::awaitable<LokiHttpResponse> exchange_on(
    Stream& stream, const http::request<http::span_body<const char>>& request,
    boost::beast::flat_buffer& buffer, bool& reusable) {
  co_await http::async_write(stream, request, asio::use_awaitable);
  http::response_parser<http::string_body> parser;
  parser.body_limit(kMaxResponseBodyBytes);
  co_await http::async_read(stream, buffer, parser, asio::use_awaitable);
  auto response = parser.release();
  const unsigned status = response.result_int();
  // Leftover bytes would belong to no request: such a connection is not reused.
  reusable = status / 100 == 2 && response.keep_alive() && buffer.size() == 0;
  co_return LokiHttpResponse{status, std::move(response.body())};
}

}  // namespace

LokiHttpClient::LokiHttpClient(const LokiSinkOptions& config, Counter& connections_opened,
                               Counter& reused_connection_failures)
    : url_(parse_url(config.url)),
      verify_host_(config.tls.verify),
      connect_timeout_(config.connect_timeout),
      request_timeout_(config.request_timeout),
      user_agent_("log-capturer/" + std::string(agent_version())),
      tenant_id_(config.tenant_id),
      authorization_(http_authorization(config.username, config.password, config.bearer_token)),
      tls_context_(url_.https ? make_loki_tls_context(config) : nullptr),
      connections_opened_(connections_opened),
      reused_connection_failures_(reused_connection_failures) {}

void LokiHttpClient::close() noexcept {
  connection_.reset();
  buffer_.clear();
}

asio::awaitable<LokiHttpResponse> LokiHttpClient::post(const LokiPushBody& body) {
  Request request(http::verb::post, url_.target, 11);
  request.set(http::field::host, url_.host_header());
  request.set(http::field::user_agent, user_agent_);
  request.set(http::field::content_type, body.content_type);
  if (!body.content_encoding.empty())
    request.set(http::field::content_encoding, body.content_encoding);
  if (!tenant_id_.empty()) request.set("X-Scope-OrgID", tenant_id_);
  if (!authorization_.empty()) request.set(http::field::authorization, authorization_);
  request.keep_alive(true);
  request.body() = Request::body_type::value_type(body.data.data(), body.data.size());
  request.prepare_payload();

  for (bool replaced_stale = false;; replaced_stale = true) {
    if (!connection_) {
      connection_ = co_await LokiConnection::connect(url_, tls_context_.get(), verify_host_,
                                                     connect_timeout_);
      connections_opened_.inc();
    }
    const bool reused = connection_->requests() > 0;
    connection_->count_request();
    boost::system::error_code error;
    try {
      bool reusable = false;
      LokiHttpResponse response = co_await net::with_timeout(
          exchange(request, reusable), request_timeout_, "push to Loki at " + url_.describe());
      if (!reusable) close();
      co_return response;
    } catch (const boost::system::system_error& failure) {
      error = failure.code();
      close();
      if (error == boost::system::errc::timed_out) {
        throw LokiTransportError(LokiTransportError::Kind::kTimeout, failure.what());
      }
    }
    if (!reused || replaced_stale || error == asio::error::operation_aborted) {
      throw LokiTransportError(LokiTransportError::Kind::kTransport,
                               "push to Loki at " + url_.describe() + ": " + error.message());
    }
    reused_connection_failures_.inc();
    spdlog::debug("loki: reused connection to {} failed ({}); retrying on a new one",
                  url_.describe(), error.message());
  }
}

asio::awaitable<LokiHttpResponse> LokiHttpClient::exchange(const Request& request, bool& reusable) {
  co_return co_await connection_->visit(
      [&](auto& stream) { return exchange_on(stream, request, buffer_, reusable); });
}

}  // namespace lc
