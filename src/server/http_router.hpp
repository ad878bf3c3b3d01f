#pragma once

#include <map>
#include <string>

#include "server/http_message.hpp"

namespace lc::server {

// Exact-path routing table. Unknown path: 404; known path, other method: 405 with Allow;
// a handler that throws: 500. route() never throws.
class HttpRouter {
 public:
  // A second add() for the same method and path replaces the first.
  void add(std::string method, std::string path, HttpHandler handler);
  HttpResponse route(const HttpRequest& request) const;

 private:
  // path -> method -> handler; std::map keeps the Allow header sorted and stable.
  std::map<std::string, std::map<std::string, HttpHandler>> routes_;
};

}  // namespace lc::server
