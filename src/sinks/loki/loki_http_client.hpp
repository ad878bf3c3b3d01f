#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/span_body.hpp>
#include <memory>
#include <string>

#include "metrics/metrics_registry.hpp"
#include "sinks/loki/loki_connection.hpp"
#include "sinks/loki/loki_push_encoder.hpp"
#include "sinks/loki/loki_sink_options.hpp"

namespace lc {

struct LokiHttpResponse {
  unsigned status = 0;
  std::string body;
};

// Posts push bodies to Loki over one keep-alive connection (http, or https with the configured
// CA and client certificate), with the tenant, credentials and User-Agent headers. The
// connection opens on first use, stays open while Loki answers 2xx with keep-alive, and is
// dropped after any error or other answer, so that the next push starts on a fresh one.
class LokiHttpClient {
 public:
  // Throws std::invalid_argument on a malformed url, std::runtime_error on unloadable TLS files.
  // `reused_connection_failures` counts the attempts on a reused connection that failed and
  // were made again at once on a new one (a transport error the caller never sees).
  LokiHttpClient(const LokiSinkOptions& config, Counter& connections_opened,
                 Counter& reused_connection_failures);

  // One POST, connect_timeout for connecting, request_timeout for sending it and reading the
  // answer. A connection reused from an earlier push that fails (Loki may have closed it while
  // idle) is replaced once at once. Throws LokiTransportError when no answer came back.
  boost::asio::awaitable<LokiHttpResponse> post(const LokiPushBody& body);

  void close() noexcept;
  bool connected() const { return connection_ != nullptr; }
  const HttpUrl& url() const { return url_; }

 private:
  using Request = boost::beast::http::request<boost::beast::http::span_body<const char>>;

  boost::asio::awaitable<LokiHttpResponse> exchange(const Request& request, bool& reusable);

  HttpUrl url_;
  bool verify_host_;
  Duration connect_timeout_;
  Duration request_timeout_;
  std::string user_agent_;
  std::string tenant_id_;
  std::string authorization_;  // "Basic ..." or "Bearer ...", or empty
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  Counter& connections_opened_;
  Counter& reused_connection_failures_;
  std::unique_ptr<LokiConnection> connection_;
  boost::beast::flat_buffer buffer_;  // the connection's read buffer
};

}  // namespace lc
