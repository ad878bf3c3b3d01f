#include "sinks/common/http_export_metrics.hpp"

#include <fmt/format.h>

namespace lc {

std::string_view to_string(HttpExportRejection reason) {
  return reason == HttpExportRejection::kBadRequest ? "bad_request" : "too_large";
}

HttpExportMetrics::HttpExportMetrics(MetricsRegistry& registry, const std::string& sink_name,
                                     const std::string& prefix, const std::string& backend)
    : scope_(registry),
      delivered(scope_, sink_name),
      batches_retried(scope_.counter(
          fmt::format("log_capturer_{}_batch_retries_total", prefix),
          fmt::format("Batches the sink handed back for a retry or a hold (connect error, "
                      "timeout, 429, 5xx, a hold, an answer that is not {} judging records).",
                      backend),
          {{"sink", sink_name}})),
      batch_splits(scope_.counter(
          fmt::format("log_capturer_{}_batch_splits_total", prefix),
          fmt::format("Requests {} refused (400, 422) or found too large (413) and that were "
                      "split in two to isolate the records it refuses.",
                      backend),
          {{"sink", sink_name}})),
      requests(scope_.counter(fmt::format("log_capturer_{}_requests_total", prefix),
                              "HTTP requests sent (every attempt and half).",
                              {{"sink", sink_name}})),
      connections_opened(scope_.counter(
          fmt::format("log_capturer_{}_connections_opened_total", prefix),
          fmt::format("Connections (TCP or TLS) opened to {}.", backend), {{"sink", sink_name}})),
      reused_connection_retries(scope_.counter(
          fmt::format("log_capturer_{}_reused_connection_retries_total", prefix),
          "Requests sent again at once on a new connection because the reused keep-alive one "
          "failed before any answer began. Not counted as errors unless the new attempt fails "
          "too.",
          {{"sink", sink_name}})),
      requests_in_flight(scope_.gauge(fmt::format("log_capturer_{}_requests_in_flight", prefix),
                                      "Requests sent and not answered yet.",
                                      {{"sink", sink_name}})),
      last_success_seconds(scope_.gauge(
          fmt::format("log_capturer_{}_last_success_timestamp_seconds", prefix),
          fmt::format("Unix time of the last request {} accepted (2xx); 0 before the first.",
                      backend),
          {{"sink", sink_name}})),
      request_duration_ns_(std::make_shared<std::atomic<std::uint64_t>>(0)) {
  for (std::size_t i = 0; i < kHttpExportErrorCount; ++i) {
    errors_[i] = &scope_.counter(
        fmt::format("log_capturer_{}_request_errors_total", prefix),
        "Requests that failed, by kind: connect, tls, timeout, transport, http_429, http_5xx, "
        "http_auth, http_404, http_405, http_413, http_400, http_422, http_4xx, http_other.",
        {{"sink", sink_name}, {"kind", std::string(to_string(static_cast<HttpExportError>(i)))}});
  }
  for (std::size_t i = 0; i < kHttpExportRejectionCount; ++i) {
    rejected_[i] = &scope_.counter(
        fmt::format("log_capturer_{}_records_rejected_total", prefix),
        "Records the sink dead-lettered, by reason: bad_request (a 400 or 422 for the record "
        "alone), too_large (a 413 for the record alone).",
        {{"sink", sink_name},
         {"reason", std::string(to_string(static_cast<HttpExportRejection>(i)))}});
  }
  scope_.counter_callback(fmt::format("log_capturer_{}_request_duration_seconds_total", prefix),
                          fmt::format("Time spent in requests, connecting included (divide by "
                                      "log_capturer_{}_requests_total for the mean).",
                                      prefix),
                          [duration = request_duration_ns_] {
                            return static_cast<double>(duration->load(std::memory_order_relaxed)) /
                                   1e9;
                          },
                          {{"sink", sink_name}});
}

}  // namespace lc
