#include "server/http_router.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <utility>

namespace lc::server {

namespace asio = boost::asio;

void HttpRouter::add(std::string method, std::string path, HttpHandler handler) {
  routes_[std::move(path)][std::move(method)] = Route{std::move(handler), std::nullopt};
}

void HttpRouter::add(std::string method, std::string path, HttpHandler handler,
                     asio::any_io_executor runs_on) {
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

asio::awaitable<HttpResponse> HttpRouter::route_async(const HttpRequest& request) const {
  HttpResponse refusal;
  const Route* route = find(request, refusal);
  if (route == nullptr) co_return refusal;
  if (!route->runs_on) co_return call(*route, request);
  // The caller waits here, so `request` and the route outlive the work.
  HttpResponse response = co_await asio::co_spawn(
      *route->runs_on,
      [route, &request]() -> asio::awaitable<HttpResponse> { co_return call(*route, request); },
      asio::use_awaitable);
  co_return response;
}

}  // namespace lc::server
