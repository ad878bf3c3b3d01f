#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "metrics/metrics_scope.hpp"
#include "sinks/common/sink_delivery_counters.hpp"
#include "sinks/otlp/otlp_response_classification.hpp"

namespace lc {

// Why the sink dead-lettered records, for log_capturer_otlp_records_rejected_total{reason}.
enum class OtlpRejectReason { kBadRequest, kTooLarge };
inline constexpr std::size_t kOtlpRejectReasonCount = 2;
std::string_view to_string(OtlpRejectReason reason);

// The OTLP sink's series, labelled sink="<name>" (docs/metrics.md). Registered once per sink.
class OtlpSinkMetrics {
  MetricsScope scope_;  // first: the series below are its, gone with the sink

 public:
  OtlpSinkMetrics(MetricsRegistry& registry, const std::string& sink_name);

  SinkDeliveryCounters delivered;      // log_capturer_sink_{records,bytes}_written_total, _batches
  Counter& batches_retried;            // write() calls that ended retry or hold
  Counter& batch_splits;               // 400 and 413 answers that split a request in two
  Counter& requests;                   // HTTP requests sent (each attempt, each half)
  Counter& connections_opened;         // connections (TCP or TLS) opened to the collector
  Counter& reused_connection_retries;  // exports sent again at once after a stale connection
  Counter& rejected_by_collector;      // partial_success.rejected_log_records, summed
  Gauge& requests_in_flight;
  Gauge& last_success_seconds;  // unix time of the last 2xx

  Counter& error(OtlpErrorKind kind) { return *errors_[static_cast<std::size_t>(kind)]; }
  Counter& rejected(OtlpRejectReason reason) {
    return *rejected_[static_cast<std::size_t>(reason)];
  }
  void observe_request_duration(std::chrono::nanoseconds duration) {
    request_duration_ns_->fetch_add(static_cast<std::uint64_t>(duration.count()),
                                    std::memory_order_relaxed);
  }

 private:
  std::array<Counter*, kOtlpErrorKindCount> errors_{};
  std::array<Counter*, kOtlpRejectReasonCount> rejected_{};
  // Shared with the registry's scrape callback, which may outlive the sink.
  std::shared_ptr<std::atomic<std::uint64_t>> request_duration_ns_;
};

}  // namespace lc
