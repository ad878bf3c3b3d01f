#include "server/api_routes.hpp"

#include <gtest/gtest.h>

namespace lc::server {
namespace {

HttpRequest get(std::string path) { return HttpRequest{"GET", std::move(path), "", ""}; }

TEST(ApiRoutesTest, HealthIs200WhenAllHealthyElse503) {
  MetricsRegistry metrics;
  HealthRegistry health;
  const HttpRouter router = make_metrics_router(metrics, health);

  HttpResponse response = router.route(get("/health"));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.body, R"({"components":{},"status":"ok"})");

  health.set("docker", true, "connected");
  health.set("sink.file", false, "disk full");
  response = router.route(get("/health"));
  EXPECT_EQ(response.status, 503u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body,
            R"({"components":{"docker":{"detail":"connected","healthy":true},)"
            R"("sink.file":{"detail":"disk full","healthy":false}},"status":"degraded"})");

  health.set("sink.file", true);
  EXPECT_EQ(router.route(get("/health")).status, 200u);
}

TEST(ApiRoutesTest, MetricsRendersTheRegistryAsPrometheusText) {
  MetricsRegistry metrics;
  HealthRegistry health;
  metrics.counter("lc_test_total", "A test counter.").inc(3);
  const HttpRouter router = make_metrics_router(metrics, health);
  const HttpResponse response = router.route(get("/metrics"));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(
      response.body,
      "# HELP lc_test_total A test counter.\n# TYPE lc_test_total counter\nlc_test_total 3\n");
  EXPECT_EQ(router.route(HttpRequest{"POST", "/metrics", "", ""}).status, 405u);
}

TEST(ApiRoutesTest, MetricsRouterServesNoApi) {
  MetricsRegistry metrics;
  HealthRegistry health;
  EXPECT_EQ(make_metrics_router(metrics, health).route(get("/api/v1/status")).status, 404u);
}

TEST(ApiRoutesTest, ApiRouterServesContainersAndStatusFromItsSources) {
  MetricsRegistry metrics;
  HealthRegistry health;
  int calls = 0;
  const HttpRouter router = make_api_router(
      metrics, health,
      ApiSources{
          .containers =
              [&] {
                ++calls;
                return std::string(R"([{"id":"abc"}])");
              },
          .status = [] { return std::string(R"({"version":"0.1.0","uptime_seconds":5})"); }});
  HttpResponse response = router.route(get("/api/v1/containers"));
  EXPECT_EQ(response.status, 200u);
  EXPECT_EQ(response.content_type, "application/json");
  EXPECT_EQ(response.body, R"([{"id":"abc"}])");
  EXPECT_EQ(calls, 1);  // built per request, not cached
  router.route(get("/api/v1/containers"));
  EXPECT_EQ(calls, 2);
  EXPECT_EQ(router.route(get("/api/v1/status")).body, R"({"version":"0.1.0","uptime_seconds":5})");
  EXPECT_EQ(router.route(get("/health")).status, 200u);
  EXPECT_EQ(router.route(get("/metrics")).status, 200u);
}

TEST(ApiRoutesTest, FailingSourceIs500AndMissingSourceIs404) {
  MetricsRegistry metrics;
  HealthRegistry health;
  const HttpRouter router = make_api_router(
      metrics, health,
      ApiSources{.containers = []() -> std::string { throw std::runtime_error("docker down"); },
                 .status = {}});
  const HttpResponse response = router.route(get("/api/v1/containers"));
  EXPECT_EQ(response.status, 500u);
  EXPECT_EQ(response.body, R"({"error":"internal error: docker down"})");
  EXPECT_EQ(router.route(get("/api/v1/status")).status, 404u);
}

}  // namespace
}  // namespace lc::server
