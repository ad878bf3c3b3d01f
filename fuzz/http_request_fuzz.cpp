// libFuzzer target: arbitrary bytes through the server's request parsing and routing
// (handle_raw_request, the same code the socket server runs). Invariants: never crash,
// and every non-empty input yields a well-formed sequence of HTTP/1.1 responses.
#include <boost/asio/buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "server/http_exchange.hpp"
#include "server/http_router.hpp"

namespace {

using lc::server::HttpRequest;
using lc::server::HttpResponse;

lc::server::HttpRouter make_router() {
  lc::server::HttpRouter router;
  router.add("GET", "/health", [](const HttpRequest&) {
    return HttpResponse{200, "application/json", "{}", {}};
  });
  router.add("POST", "/echo", [](const HttpRequest& r) {
    return HttpResponse{200, "text/plain", r.path + "?" + r.query + "\n" + r.body, {}};
  });
  router.add("GET", "/throw",
             [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("x"); });
  return router;
}

// Counts the responses in `bytes`; traps on anything that is not a valid response stream.
std::size_t count_valid_responses(std::string_view bytes) {
  namespace http = boost::beast::http;
  std::size_t count = 0;
  while (!bytes.empty()) {
    http::response_parser<http::string_body> parser;
    parser.body_limit(1024 * 1024);
    parser.eager(true);
    boost::beast::error_code error;
    const std::size_t used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), error);
    if (error || !parser.is_done()) __builtin_trap();
    bytes.remove_prefix(used);
    ++count;
  }
  return count;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const lc::server::HttpRouter router = make_router();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const lc::server::HttpLimits limits :
       {lc::server::HttpLimits{},
        lc::server::HttpLimits{.max_header_bytes = 96, .max_body_bytes = 16}}) {
    const std::string out = lc::server::handle_raw_request(input, router, limits);
    const std::size_t responses = count_valid_responses(out);
    if (!input.empty() && responses == 0) __builtin_trap();
  }
  return 0;
}
