#pragma once

#include "metrics/metrics_registry.hpp"

namespace lc::docker {

// Request/response calls and their keep-alive pool.
struct DockerHttpMetrics {
  Counter& requests;
  Counter& errors;
  Counter& connections_opened;
  Gauge& idle_connections;
  Gauge& active_connections;
};

// Follow streams (logs, events): one connection each, never pooled.
struct DockerStreamMetrics {
  Counter& opened;
  Counter& closed;
  Gauge& active;
};

struct DockerClientMetrics {
  DockerHttpMetrics http;
  DockerStreamMetrics streams;

  // Registers (or finds) the log_capturer_docker_* series on `registry`.
  static DockerClientMetrics register_on(MetricsRegistry& registry);
};

}  // namespace lc::docker
