#include "server/http_server_metrics.hpp"

#include <gtest/gtest.h>

namespace lc::server {
namespace {

TEST(HttpServerMetricsTest, CountsResponsesByStatusClass) {
  MetricsRegistry registry;
  HttpServerMetrics metrics(registry, "api");
  for (const unsigned status : {200u, 204u, 302u, 400u, 404u, 431u, 500u, 503u, 99u, 600u}) {
    metrics.count_response(status);
  }
  const auto count = [&](const char* code) {
    return registry
        .counter("log_capturer_http_requests_total", "", {{"server", "api"}, {"code", code}})
        .value();
  };
  EXPECT_EQ(count("2xx"), 2u);
  EXPECT_EQ(count("3xx"), 1u);
  EXPECT_EQ(count("4xx"), 3u);
  EXPECT_EQ(count("5xx"), 4u);  // 500, 503 and the two out-of-range statuses
}

TEST(HttpServerMetricsTest, TwoListenersShareFamiliesWithTheirOwnSeries) {
  MetricsRegistry registry;
  HttpServerMetrics api(registry, "api");
  HttpServerMetrics metrics(registry, "metrics");
  api.connections_active.add(2);
  metrics.connections_active.add(1);
  EXPECT_NE(&api.connections_active, &metrics.connections_active);
  const std::string text = registry.render();
  EXPECT_NE(
      text.find("# HELP log_capturer_http_connections_active Open HTTP connections, by listener.\n"
                "# TYPE log_capturer_http_connections_active gauge\n"
                "log_capturer_http_connections_active{server=\"api\"} 2\n"
                "log_capturer_http_connections_active{server=\"metrics\"} 1\n"),
      std::string::npos)
      << text;
}

}  // namespace
}  // namespace lc::server
