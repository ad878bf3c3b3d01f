#pragma once

#include <array>
#include <string>

#include "metrics/metrics_registry.hpp"
#include "server/host_policy.hpp"

namespace lc::server {

// The series of one HTTP listener, labelled server="api"|"metrics", registered up front so
// every series exists (at 0) from the first scrape.
class HttpServerMetrics {
 public:
  HttpServerMetrics(MetricsRegistry& registry, const std::string& server);

  // log_capturer_http_requests_total{code="2xx"|"3xx"|"4xx"|"5xx"}; anything outside
  // 200..599 counts as 5xx, since only a server bug produces it.
  void count_response(unsigned status);

  // log_capturer_http_requests_refused_total{reason="host"|"origin"}: refused by HostPolicy.
  void count_refusal(HostPolicy::Refusal reason);

  Gauge& connections_active;
  Counter& connections_rejected;  // closed at once: the connection cap was reached
  Counter& read_timeouts;         // closed: no complete request within the idle timeout

 private:
  std::array<Counter*, 4> responses_by_class_;
  Counter& refused_host_;
  Counter& refused_origin_;
};

}  // namespace lc::server
