#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "metrics/metrics_scope.hpp"
#include "sinks/common/sink_delivery_counters.hpp"
#include "sinks/loki/loki_response_classification.hpp"

namespace lc {

// The Loki sink's series, labelled sink="<name>" (docs/metrics.md). Registered once per sink.
class LokiSinkMetrics {
  MetricsScope scope_;  // first: the series below are its, gone with the sink

 public:
  LokiSinkMetrics(MetricsRegistry& registry, const std::string& sink_name);

  SinkDeliveryCounters delivered;      // log_capturer_sink_{records,bytes}_written_total, _batches
  Counter& batches_retried;            // write() calls that ended retry
  Counter& batch_splits;               // 413 answers that split a request in two
  Counter& requests;                   // HTTP requests sent (each attempt, each half)
  Counter& connections_opened;         // connections (TCP or TLS) opened to Loki
  Counter& reused_connection_retries;  // pushes sent again at once after a stale connection
  Gauge& requests_in_flight;
  Gauge& last_success_seconds;  // unix time of the last 2xx

  Counter& error(LokiErrorKind kind) { return *errors_[static_cast<std::size_t>(kind)]; }
  Counter& rejected(LokiRejectReason reason) {
    return *rejected_[static_cast<std::size_t>(reason)];
  }
  // Adds one request's duration to log_capturer_loki_request_duration_seconds_total.
  void observe_request_duration(std::chrono::nanoseconds duration) {
    request_duration_ns_->fetch_add(static_cast<std::uint64_t>(duration.count()),
                                    std::memory_order_relaxed);
  }

 private:
  std::array<Counter*, kLokiErrorKindCount> errors_{};
  std::array<Counter*, kLokiRejectReasonCount> rejected_{};
  // Shared with the registry's scrape callback, which may outlive the sink.
  std::shared_ptr<std::atomic<std::uint64_t>> request_duration_ns_;
};

}  // namespace lc
