#include "server/http_router.hpp"

#include <exception>
#include <utility>

namespace lc::server {

void HttpRouter::add(std::string method, std::string path, HttpHandler handler) {
  routes_[std::move(path)][std::move(method)] = std::move(handler);
}

HttpResponse HttpRouter::route(const HttpRequest& request) const {
  const auto path = routes_.find(request.path);
  if (path == routes_.end()) return json_error_response(404, "not found");
  const auto handler = path->second.find(request.method);
  if (handler == path->second.end()) {
    std::string allow;
    for (const auto& [method, unused] : path->second) {
      if (!allow.empty()) allow += ", ";
      allow += method;
    }
    HttpResponse response = json_error_response(405, "method not allowed");
    response.headers.emplace_back("Allow", std::move(allow));
    return response;
  }
  try {
    return handler->second(request);
  } catch (const std::exception& e) {
    return json_error_response(500, std::string("internal error: ") + e.what());
  } catch (...) {
    return json_error_response(500, "internal error");
  }
}

}  // namespace lc::server
