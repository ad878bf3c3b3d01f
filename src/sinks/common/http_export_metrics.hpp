#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "metrics/metrics_scope.hpp"
#include "sinks/common/http_export_error.hpp"
#include "sinks/common/sink_delivery_counters.hpp"

namespace lc {

// Why an HTTP export sink dead-lettered records, for
// log_capturer_<type>_records_rejected_total{reason}.
enum class HttpExportRejection { kBadRequest, kTooLarge };
inline constexpr std::size_t kHttpExportRejectionCount = 2;
std::string_view to_string(HttpExportRejection reason);

// The series of an HTTP export sink (OTLP, HTTP), log_capturer_<prefix>_..., labelled
// sink="<name>" (docs/metrics.md). Registered once per sink.
class HttpExportMetrics {
  MetricsScope scope_;  // first: the series below are its, gone with the sink

 public:
  // `prefix`: "otlp", "http". `backend`: how help texts name it ("the OTLP collector").
  HttpExportMetrics(MetricsRegistry& registry, const std::string& sink_name,
                    const std::string& prefix, const std::string& backend);

  SinkDeliveryCounters delivered;      // log_capturer_sink_{records,bytes}_written_total, _batches
  Counter& batches_retried;            // write() calls that ended retry or hold
  Counter& batch_splits;               // refusals that split a request in two
  Counter& requests;                   // HTTP requests sent (each attempt, each half)
  Counter& connections_opened;         // connections (TCP or TLS) opened to the backend
  Counter& reused_connection_retries;  // requests sent again at once after a stale connection
  Gauge& requests_in_flight;
  Gauge& last_success_seconds;  // unix time of the last 2xx

  Counter& error(HttpExportError kind) { return *errors_[static_cast<std::size_t>(kind)]; }
  Counter& rejected(HttpExportRejection reason) {
    return *rejected_[static_cast<std::size_t>(reason)];
  }
  void observe_request_duration(std::chrono::nanoseconds duration) {
    request_duration_ns_->fetch_add(static_cast<std::uint64_t>(duration.count()),
                                    std::memory_order_relaxed);
  }
  // For a sink type's own series, registered and released with these.
  MetricsScope& scope() { return scope_; }

 private:
  std::array<Counter*, kHttpExportErrorCount> errors_{};
  std::array<Counter*, kHttpExportRejectionCount> rejected_{};
  // Shared with the registry's scrape callback, which may outlive the sink.
  std::shared_ptr<std::atomic<std::uint64_t>> request_duration_ns_;
};

}  // namespace lc
