#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "server/http_router.hpp"

// Apart from http_router.cpp: the fuzz target of the router builds that file alone, and clang
// 14 fails to assemble this coroutine at -O0 with debug info.
namespace lc::server {

namespace asio = boost::asio;

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
