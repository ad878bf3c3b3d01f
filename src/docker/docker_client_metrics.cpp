#include "docker/docker_client_metrics.hpp"

namespace lc::docker {

DockerClientMetrics DockerClientMetrics::register_on(MetricsRegistry& registry) {
  return DockerClientMetrics{
      DockerHttpMetrics{
          registry.counter("log_capturer_docker_http_requests_total",
                           "Docker API request/response calls made (version, list, inspect)."),
          registry.counter("log_capturer_docker_http_errors_total",
                           "Docker API request/response calls that failed: connect error, "
                           "timeout, transport error, malformed answer or 5xx status."),
          registry.counter("log_capturer_docker_http_connections_opened_total",
                           "Keep-alive pool connections opened to the Docker engine."),
          registry.gauge("log_capturer_docker_http_idle_connections",
                         "Keep-alive pool connections open and idle."),
          registry.gauge("log_capturer_docker_http_active_connections",
                         "Keep-alive pool connections in use by a call."),
      },
      DockerStreamMetrics{
          registry.counter("log_capturer_docker_streams_opened_total",
                           "Docker follow-stream connections opened (logs, events)."),
          registry.counter("log_capturer_docker_streams_closed_total",
                           "Docker follow-stream connections closed."),
          registry.gauge("log_capturer_docker_streams_active",
                         "Docker follow-stream connections open now."),
      },
  };
}

}  // namespace lc::docker
