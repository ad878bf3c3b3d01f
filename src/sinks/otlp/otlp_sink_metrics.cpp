#include "sinks/otlp/otlp_sink_metrics.hpp"

namespace lc {

std::string_view to_string(OtlpRejectReason reason) {
  return reason == OtlpRejectReason::kBadRequest ? "bad_request" : "too_large";
}

OtlpSinkMetrics::OtlpSinkMetrics(MetricsRegistry& registry, const std::string& sink_name)
    : scope_(registry),
      delivered(scope_, sink_name),
      batches_retried(scope_.counter(
          "log_capturer_otlp_batch_retries_total",
          "Batches the OTLP sink handed back for a retry or a hold (connect error, timeout, 429, "
          "5xx, 401/403/404, an answer that is not the collector judging records).",
          {{"sink", sink_name}})),
      batch_splits(scope_.counter(
          "log_capturer_otlp_batch_splits_total",
          "Export requests the collector refused (400) or found too large (413) and that were "
          "split in two to isolate the records it refuses.",
          {{"sink", sink_name}})),
      requests(scope_.counter("log_capturer_otlp_requests_total",
                              "OTLP/HTTP export requests sent (every attempt and half).",
                              {{"sink", sink_name}})),
      connections_opened(scope_.counter("log_capturer_otlp_connections_opened_total",
                                        "Connections (TCP or TLS) opened to the collector.",
                                        {{"sink", sink_name}})),
      reused_connection_retries(scope_.counter(
          "log_capturer_otlp_reused_connection_retries_total",
          "Exports sent again at once on a new connection because the reused keep-alive one "
          "failed before an answer. Not counted as errors unless the new attempt fails too.",
          {{"sink", sink_name}})),
      rejected_by_collector(scope_.counter(
          "log_capturer_otlp_records_rejected_by_collector_total",
          "Records a collector answered 200 for but said it rejected "
          "(partial_success.rejected_log_records): the protocol does not say which, so the "
          "batch counts as delivered.",
          {{"sink", sink_name}})),
      requests_in_flight(scope_.gauge("log_capturer_otlp_requests_in_flight",
                                      "Export requests sent and not answered yet.",
                                      {{"sink", sink_name}})),
      last_success_seconds(
          scope_.gauge("log_capturer_otlp_last_success_timestamp_seconds",
                       "Unix time of the last export the collector accepted (2xx); 0 before "
                       "the first.",
                       {{"sink", sink_name}})),
      request_duration_ns_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  for (std::size_t i = 0; i < kOtlpErrorKindCount; ++i) {
    errors_[i] = &scope_.counter(
        "log_capturer_otlp_request_errors_total",
        "Export requests that failed, by kind: connect, tls, timeout, transport, http_429, "
        "http_5xx, http_auth, http_404, http_413, http_400, http_4xx, http_other.",
        {{"sink", sink_name}, {"kind", std::string(to_string(static_cast<OtlpErrorKind>(i)))}});
  }
  for (std::size_t i = 0; i < kOtlpRejectReasonCount; ++i) {
    rejected_[i] = &scope_.counter(
        "log_capturer_otlp_records_rejected_total",
        "Records the OTLP sink dead-lettered, by reason: bad_request (a 400 for the record "
        "alone), too_large (a 413 for the record alone).",
        {{"sink", sink_name},
         {"reason", std::string(to_string(static_cast<OtlpRejectReason>(i)))}});
  }
  scope_.counter_callback("log_capturer_otlp_request_duration_seconds_total",
                          "Time spent in export requests, connecting included (divide by "
                          "log_capturer_otlp_requests_total for the mean).",
                          [duration = request_duration_ns_] {
                            return static_cast<double>(duration->load(std::memory_order_relaxed)) /
                                   1e9;
                          },
                          {{"sink", sink_name}});
}

}  // namespace lc
