#pragma once

#include <boost/beast/core/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <string>
#include <string_view>

#include "server/http_message.hpp"
#include "server/http_router.hpp"

namespace lc::server {

// The transport-free half of a request/response exchange, shared by the socket server
// and by the fuzz target so that both run exactly the same parsing and routing code.

struct HttpLimits {
  std::size_t max_header_bytes = 8 * 1024;  // request line + headers; beyond: 431
  std::size_t max_body_bytes = 64 * 1024;   // beyond: 413
};

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

void apply_limits(RequestParser& parser, const HttpLimits& limits);

HttpRequest to_http_request(const BeastRequest& request);

// The answer to a request that could not be parsed: 431, 413 or 400. The connection is
// closed after it, since the stream position is unknown.
HttpResponse parse_error_response(const boost::beast::error_code& error);

BeastResponse to_beast_response(const HttpResponse& response, bool keep_alive);

// Parses every request in `raw` (pipelined), routes each and returns the serialized
// responses. Stops after the first malformed request (answered 4xx), like the server,
// and answers 400 to a request cut short by the end of `raw`.
std::string handle_raw_request(std::string_view raw, const HttpRouter& router,
                               const HttpLimits& limits = {});

}  // namespace lc::server
