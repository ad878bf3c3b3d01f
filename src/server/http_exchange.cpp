#include "server/http_exchange.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/write.hpp>
#include <sstream>

namespace lc::server {

namespace http = boost::beast::http;

void apply_limits(RequestParser& parser, const HttpLimits& limits) {
  parser.header_limit(static_cast<std::uint32_t>(limits.max_header_bytes));
  parser.body_limit(limits.max_body_bytes);
}

HttpRequest to_http_request(const BeastRequest& request) {
  HttpRequest out;
  out.method = std::string(request.method_string());
  const std::string_view target = request.target();
  const auto question = target.find('?');
  out.path = std::string(target.substr(0, question));
  if (question != std::string_view::npos) out.query = std::string(target.substr(question + 1));
  out.body = request.body();
  return out;
}

HttpResponse parse_error_response(const boost::beast::error_code& error) {
  if (error == http::error::header_limit) {
    return json_error_response(431, "request header fields too large");
  }
  if (error == http::error::body_limit) return json_error_response(413, "request body too large");
  return json_error_response(400, "bad request: " + error.message());
}

BeastResponse to_beast_response(const HttpResponse& response, bool keep_alive) {
  BeastResponse out{static_cast<http::status>(response.status), 11};
  out.set(http::field::server, "log-capturer");
  out.set(http::field::content_type, response.content_type);
  for (const auto& [name, value] : response.headers) out.set(name, value);
  out.body() = response.body;
  out.keep_alive(keep_alive);
  out.prepare_payload();
  return out;
}

namespace {

std::string serialize(const BeastResponse& response) {
  std::ostringstream stream;
  stream << response;
  return std::move(stream).str();
}

}  // namespace

std::string handle_raw_request(std::string_view raw, const HttpRouter& router,
                               const HttpLimits& limits) {
  std::string out;
  while (!raw.empty()) {
    RequestParser parser;
    apply_limits(parser, limits);
    parser.eager(true);
    boost::beast::error_code error;
    while (!parser.is_done() && !error) {
      const std::size_t used = parser.put(boost::asio::buffer(raw.data(), raw.size()), error);
      raw.remove_prefix(used);
      // The parser wants bytes that are not there: the request is cut short. An eager parser
      // has taken all it could, and Beast expects the bytes it left to come back with more
      // after need_more (offering the same ones again trips its chunk-header assertion,
      // found by fuzzing): there is no more, so that is the end.
      if (error == http::error::need_more) {
        error = {};
        parser.put_eof(error);
        if (!error) error = http::error::partial_message;
      } else if (used == 0 && !error && !parser.is_done()) {
        error = http::error::partial_message;  // no progress: never spin
      }
    }
    if (error) {
      out += serialize(to_beast_response(parse_error_response(error), false));
      break;
    }
    const BeastRequest& request = parser.get();
    const bool keep_alive = request.keep_alive();
    out += serialize(to_beast_response(router.route(to_http_request(request)), keep_alive));
    if (!keep_alive) break;
  }
  return out;
}

}  // namespace lc::server
