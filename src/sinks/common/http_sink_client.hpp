#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/span_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "metrics/metrics_registry.hpp"
#include "net/tls_client_options.hpp"
#include "sinks/common/http_url.hpp"
#include "sinks/common/sink_connection.hpp"

namespace lc {

// What an HTTP sink's client needs to know about its backend.
struct HttpSinkClientSettings {
  std::string backend;             // how messages name it: "Loki", "the OTLP collector"
  std::string action = "request";  // what a request does, in messages: "push to Loki at ..."
  boost::beast::http::verb method = boost::beast::http::verb::post;
  HttpUrl url;
  net::TlsClientOptions tls;  // https only
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds request_timeout{30'000};
  // The largest answer body read; a longer one is a transport error. Backends' answers are
  // short; an error listing every rejected entry of a large batch is the longest.
  std::uint64_t max_response_bytes = 4ull << 20;
  // Set on every request (tenant, Authorization, the user's own headers).
  std::vector<std::pair<std::string, std::string>> headers;
};

// One request's body and how it is encoded.
struct HttpSinkRequestBody {
  std::string_view data;
  std::string_view content_type;
  std::string_view content_encoding;  // empty: none
};

struct HttpSinkResponse {
  unsigned status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;  // the Retry-After header, empty when absent
};

// Posts request bodies to an HTTP backend over one keep-alive connection (http, or https with
// the configured CA and client certificate). The connection opens on first use, stays open
// while the backend answers 2xx with keep-alive, and is dropped after any error or other
// answer, so that the next request starts on a fresh one. Shared by the HTTP sinks.
class HttpSinkClient {
 public:
  // Throws std::runtime_error on unloadable TLS files. `reused_connection_failures` counts the
  // attempts on a reused connection that failed and were made again at once on a new one (a
  // transport error the caller never sees).
  HttpSinkClient(HttpSinkClientSettings settings, Counter& connections_opened,
                 Counter& reused_connection_failures);

  // One POST, connect_timeout for connecting, request_timeout for sending it and reading the
  // answer. A connection reused from an earlier request that fails (the backend may have closed
  // it while idle) is replaced once at once. Throws SinkTransportError when no answer came back.
  // `target`: the request's path and query; empty: the URL's.
  boost::asio::awaitable<HttpSinkResponse> post(const HttpSinkRequestBody& body,
                                                std::string_view target = {});

  void close() noexcept;
  bool connected() const { return connection_ != nullptr; }
  const HttpUrl& url() const { return settings_.url; }
  const std::string& backend() const { return settings_.backend; }

 private:
  using Request = boost::beast::http::request<boost::beast::http::span_body<const char>>;

  // `answered`: set once the answer's header came back (the request reached the backend).
  boost::asio::awaitable<HttpSinkResponse> exchange(const Request& request, bool& reusable,
                                                    bool& answered);

  const HttpSinkClientSettings settings_;
  std::string user_agent_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;
  Counter& connections_opened_;
  Counter& reused_connection_failures_;
  std::unique_ptr<SinkConnection> connection_;
  boost::beast::flat_buffer buffer_;  // the connection's read buffer
};

}  // namespace lc
