#include "server/http_server_metrics.hpp"

namespace lc::server {
namespace {

Counter& requests_counter(MetricsRegistry& registry, const std::string& server, const char* code) {
  return registry.counter("log_capturer_http_requests_total",
                          "HTTP requests answered, by listener and status class.",
                          {{"server", server}, {"code", code}});
}

Counter& refused_counter(MetricsRegistry& registry, const std::string& server, const char* reason) {
  return registry.counter("log_capturer_http_requests_refused_total",
                          "HTTP requests refused for a Host that is not allowed (421) or a "
                          "cross-site Origin (403), by listener.",
                          {{"server", server}, {"reason", reason}});
}

}  // namespace

HttpServerMetrics::HttpServerMetrics(MetricsRegistry& registry, const std::string& server)
    : connections_active(registry.gauge("log_capturer_http_connections_active",
                                        "Open HTTP connections, by listener.",
                                        {{"server", server}})),
      connections_rejected(registry.counter(
          "log_capturer_http_connections_rejected_total",
          "HTTP connections closed on accept because the connection cap was reached.",
          {{"server", server}})),
      read_timeouts(
          registry.counter("log_capturer_http_read_timeouts_total",
                           "HTTP connections closed because no complete request arrived in time.",
                           {{"server", server}})),
      responses_by_class_{
          &requests_counter(registry, server, "2xx"), &requests_counter(registry, server, "3xx"),
          &requests_counter(registry, server, "4xx"), &requests_counter(registry, server, "5xx")},
      refused_host_(refused_counter(registry, server, "host")),
      refused_origin_(refused_counter(registry, server, "origin")) {}

void HttpServerMetrics::count_response(unsigned status) {
  const unsigned status_class = status / 100;
  const std::size_t index = status_class >= 2 && status_class <= 5 ? status_class - 2 : 3;
  responses_by_class_[index]->inc();
}

}  // namespace lc::server

namespace lc::server {

void HttpServerMetrics::count_refusal(HostPolicy::Refusal reason) {
  (reason == HostPolicy::Refusal::kHost ? refused_host_ : refused_origin_).inc();
}

}  // namespace lc::server
