#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <map>
#include <optional>
#include <string>

#include "server/http_message.hpp"

namespace lc::server {

// Exact-path routing table. Unknown path: 404; known path, other method: 405 with Allow;
// a handler that throws: 500. route() never throws.
class HttpRouter {
 public:
  // A second add() for the same method and path replaces the first. With `runs_on` (a worker
  // pool) the handler runs there when routed with route_async(), never on the server's thread,
  // which the agent's inputs share: for answers that read from disk or build large bodies.
  void add(std::string method, std::string path, HttpHandler handler,
           std::optional<boost::asio::any_io_executor> runs_on = std::nullopt);
  // Calls the handler on the caller's thread, wherever it is meant to run.
  HttpResponse route(const HttpRequest& request) const;
  // Like route(), but a handler added with an executor runs there; resumes on the caller's.
  boost::asio::awaitable<HttpResponse> route_async(const HttpRequest& request) const;

 private:
  struct Route {
    HttpHandler handler;
    std::optional<boost::asio::any_io_executor> runs_on;
  };
  // The route, or the 404/405 answer.
  const Route* find(const HttpRequest& request, HttpResponse& refusal) const;
  static HttpResponse call(const Route& route, const HttpRequest& request);

  // path -> method -> route; std::map keeps the Allow header sorted and stable.
  std::map<std::string, std::map<std::string, Route>> routes_;
};

}  // namespace lc::server
