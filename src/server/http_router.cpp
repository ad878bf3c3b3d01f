#include "server/http_router.hpp"

#include <exception>
#include <utility>

namespace lc::server {

namespace asio = boost::asio;

void HttpRouter::add(std::string method, std::string path, HttpHandler handler,
                     std::optional<asio::any_io_executor> runs_on) {
  routes_[std::move(path)][std::move(method)] = Route{std::move(handler), std::move(runs_on)};
}

const HttpRouter::Route* HttpRouter::find(const HttpRequest& request, HttpResponse& refusal) const {
  const auto path = routes_.find(request.path);
  if (path == routes_.end()) {
    refusal = json_error_response(404, "not found");
    return nullptr;
  }
  const auto route = path->second.find(request.method);
  if (route != path->second.end()) return &route->second;
  std::string allow;
  for (const auto& [method, unused] : path->second) {
    if (!allow.empty()) allow += ", ";
    allow += method;
  }
  refusal = json_error_response(405, "method not allowed");
  refusal.headers.emplace_back("Allow", std::move(allow));
  return nullptr;
}

HttpResponse HttpRouter::call(const Route& route, const HttpRequest& request) {
  try {
    return route.handler(request);
  } catch (const std::exception& e) {
    return json_error_response(500, std::string("internal error: ") + e.what());
  } catch (...) {
    return json_error_response(500, "internal error");
  }
}

HttpResponse HttpRouter::route(const HttpRequest& request) const {
  HttpResponse refusal;
  const Route* route = find(request, refusal);
  return route != nullptr ? call(*route, request) : refusal;
}

}  // namespace lc::server
