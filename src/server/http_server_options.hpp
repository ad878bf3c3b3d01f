#pragma once

#include <chrono>
#include <cstddef>
#include <optional>

#include "server/host_policy.hpp"
#include "server/http_exchange.hpp"

namespace lc::server {

// Limits that keep one listener from being used to exhaust the agent's memory or FDs.
struct HttpServerOptions {
  HttpLimits limits;
  // Time allowed to receive a whole request (and to send a response), and the idle time of a
  // keep-alive connection between requests: slowloris clients are closed after it.
  std::chrono::milliseconds idle_timeout{10'000};
  // Connections beyond this are closed as soon as they are accepted.
  std::size_t max_connections = 64;
  int listen_backlog = 128;
  // Set: requests with a foreign Host or a cross-site Origin are refused (the API). Unset: any
  // Host (the metrics listener, which probes and Prometheus reach by the pod or host address).
  std::optional<HostPolicy> host_policy;
};

}  // namespace lc::server
