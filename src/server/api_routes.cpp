#include "server/api_routes.hpp"

#include <nlohmann/json.hpp>
#include <utility>

namespace lc::server {

HttpRouter make_metrics_router(const MetricsRegistry& metrics, const HealthRegistry& health) {
  HttpRouter router;
  router.add("GET", "/health", [&health](const HttpRequest&) {
    // The status comes from the body itself, so the two cannot disagree.
    std::string body = health.to_json();
    const bool healthy = nlohmann::json::parse(body).at("status") == "ok";
    return HttpResponse{healthy ? 200u : 503u, "application/json", std::move(body), {}};
  });
  router.add("GET", "/metrics", [&metrics](const HttpRequest&) {
    return HttpResponse{200, kPrometheusContentType, metrics.render(), {}};
  });
  return router;
}

HttpRouter make_api_router(const MetricsRegistry& metrics, const HealthRegistry& health,
                           ApiSources sources) {
  HttpRouter router = make_metrics_router(metrics, health);
  const auto add_json = [&router](const char* path, JsonSource source) {
    if (!source) return;
    router.add("GET", path, [source = std::move(source)](const HttpRequest&) {
      return HttpResponse{200, "application/json", source(), {}};
    });
  };
  add_json("/api/v1/containers", std::move(sources.containers));
  add_json("/api/v1/status", std::move(sources.status));
  return router;
}

}  // namespace lc::server
