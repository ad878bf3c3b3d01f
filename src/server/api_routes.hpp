#pragma once

#include <functional>
#include <string>

#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "server/http_router.hpp"

namespace lc::server {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// Each returns a JSON document, built at request time on the server's strand.
using JsonSource = std::function<std::string()>;

struct ApiSources {
  // GET /api/v1/containers: the followed containers, e.g. [{"id":..., "name":...}].
  JsonSource containers;
  // GET /api/v1/status: {"version":..., "uptime_seconds":..., ...}.
  JsonSource status;
};

// GET /health: health.to_json(), 200 when every component is healthy, else 503.
// GET /metrics: metrics.render() in the Prometheus text format.
// The registries must outlive the router and every server holding it.
HttpRouter make_metrics_router(const MetricsRegistry& metrics, const HealthRegistry& health);

// The metrics routes plus GET /api/v1/containers and GET /api/v1/status (a route whose
// source is empty is left out: 404).
HttpRouter make_api_router(const MetricsRegistry& metrics, const HealthRegistry& health,
                           ApiSources sources);

}  // namespace lc::server
