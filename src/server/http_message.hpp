#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace lc::server {

// The server's own request/response types: handlers stay free of Beast, so they are
// trivial to test and the transport can change without touching them.
struct HttpRequest {
  std::string method;  // "GET", "POST"... as sent
  std::string path;    // the target before '?'
  std::string query;   // the target after '?', without it
  std::string body;
};

struct HttpResponse {
  unsigned status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (e.g. Allow)
};

using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

// A JSON error body {"error": message}, escaped properly.
HttpResponse json_error_response(unsigned status, const std::string& message);

}  // namespace lc::server
