#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http_message.hpp"

namespace lc::server {

// Keeps browsers out of a listener bound to loopback or a private address (until the API has
// authentication): a request is refused when its Host is neither loopback (localhost,
// 127.0.0.0/8, [::1]) nor an allowed host (DNS rebinding: a hostile name resolving to us),
// or when it carries an Origin whose host is not one of those (a cross-site page). A page
// served by the listener itself is same-origin and passes.
class HostPolicy {
 public:
  // `allowed_hosts`: names or addresses (no port), compared without case.
  explicit HostPolicy(std::vector<std::string> allowed_hosts = {});

  enum class Refusal { kHost, kOrigin };
  struct Verdict {
    Refusal reason;
    HttpResponse response;  // 421 for the Host, 403 for the Origin, with a short reason
  };
  // `host`: the Host header (nullopt when absent); `origin`: the Origin header, if any.
  std::optional<Verdict> check(std::optional<std::string_view> host,
                               std::optional<std::string_view> origin) const;

  // Whether `authority` ("name", "name:port", "1.2.3.4:80", "[::1]:80") names this listener.
  bool allows(std::string_view authority) const;

 private:
  std::vector<std::string> allowed_hosts_;  // lower case, without brackets
};

}  // namespace lc::server
