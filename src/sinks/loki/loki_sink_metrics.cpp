#include "sinks/loki/loki_sink_metrics.hpp"

namespace lc {

LokiSinkMetrics::LokiSinkMetrics(MetricsRegistry& registry, const std::string& sink_name)
    : scope_(registry),
      delivered(scope_, sink_name),
      batches_retried(scope_.counter(
          "log_capturer_loki_batch_retries_total",
          "Batches the Loki sink handed back for a retry or a hold (connect error, timeout, 429, "
          "5xx, 401/403, an answer that is not Loki judging records).",
          {{"sink", sink_name}})),
      batch_splits(scope_.counter("log_capturer_loki_batch_splits_total",
                                  "Push requests Loki refused as too large (413) and that "
                                  "were split in two.",
                                  {{"sink", sink_name}})),
      requests(scope_.counter("log_capturer_loki_requests_total",
                              "HTTP push requests sent to Loki (every attempt and half).",
                              {{"sink", sink_name}})),
      connections_opened(scope_.counter("log_capturer_loki_connections_opened_total",
                                        "Connections (TCP or TLS) opened to Loki.",
                                        {{"sink", sink_name}})),
      reused_connection_retries(scope_.counter(
          "log_capturer_loki_reused_connection_retries_total",
          "Pushes sent again at once on a new connection because the reused keep-alive one "
          "failed before an answer (closed while idle by Loki or a proxy, reset, or an answer "
          "that was not HTTP). Not counted as errors unless the new attempt fails too.",
          {{"sink", sink_name}})),
      requests_in_flight(scope_.gauge("log_capturer_loki_requests_in_flight",
                                      "Push requests sent to Loki and not answered yet.",
                                      {{"sink", sink_name}})),
      last_success_seconds(
          scope_.gauge("log_capturer_loki_last_success_timestamp_seconds",
                       "Unix time of the last push Loki accepted (2xx); 0 before the first.",
                       {{"sink", sink_name}})),
      request_duration_ns_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  for (std::size_t i = 0; i < kLokiErrorKindCount; ++i) {
    errors_[i] = &scope_.counter(
        "log_capturer_loki_request_errors_total",
        "Push requests to Loki that failed, by kind: connect, tls, timeout, transport, http_429, "
        "http_5xx, http_auth, http_413, http_400, http_4xx, http_other.",
        {{"sink", sink_name}, {"kind", std::string(to_string(static_cast<LokiErrorKind>(i)))}});
  }
  for (std::size_t i = 0; i < kLokiRejectReasonCount; ++i) {
    rejected_[i] = &scope_.counter(
        "log_capturer_loki_records_rejected_total",
        "Records Loki refused for good, by reason: out_of_order, too_old, too_far_behind, "
        "too_new, line_too_long, invalid_labels, structured_metadata, too_large.",
        {{"sink", sink_name},
         {"reason", std::string(to_string(static_cast<LokiRejectReason>(i)))}});
  }
  scope_.counter_callback("log_capturer_loki_request_duration_seconds_total",
                          "Time spent in push requests to Loki, connecting included (divide by "
                          "log_capturer_loki_requests_total for the mean).",
                          [duration = request_duration_ns_] {
                            return static_cast<double>(duration->load(std::memory_order_relaxed)) /
                                   1e9;
                          },
                          {{"sink", sink_name}});
}

}  // namespace lc
