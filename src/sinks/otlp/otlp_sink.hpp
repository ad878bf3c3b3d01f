#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/log_rate_limiter.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/common/batch_progress.hpp"
#include "sinks/common/http_sink_client.hpp"
#include "sinks/common/sink_hold_policy.hpp"
#include "sinks/otlp/otlp_logs_encoder.hpp"
#include "sinks/otlp/otlp_response_classification.hpp"
#include "sinks/otlp/otlp_sink_metrics.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"
#include "sinks/sink.hpp"

namespace lc {

// Exports batches to an OpenTelemetry collector over OTLP/HTTP (docs/configuration.md, sinks of
// type otlp): one POST <endpoint>/v1/logs per batch, over one keep-alive connection. The answer
// decides: 2xx delivered (a partial_success's rejected count is counted and logged: the
// protocol cannot say which records); connection problems, timeouts, 429 and 5xx retried by
// the pipeline, at the earliest when Retry-After says (a retry sends only what is neither
// delivered nor refused yet); 400 (with the collector's Status) and 413 split the batch in
// halves, recursively, down to the records the collector refuses alone, which are dead-lettered;
// 401/403/404 hold the sink, and so do 5 answers in a row that are none of these.
class OtlpSink : public Sink {
 public:
  // Throws std::invalid_argument (endpoint, templates) or std::runtime_error (TLS files).
  OtlpSink(std::string name, const OtlpSinkOptions& options, MetricsRegistry& metrics);

  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;

  const HttpUrl& url() const { return client_.url(); }

 private:
  // Why an export (or one of its halves) must be retried; empty `reason`: it settled (each of
  // its records delivered or refused, in progress_).
  struct RetryNeeded {
    std::string reason;
    bool not_the_records = false;  // the answer judges no record
    std::chrono::milliseconds retry_after{0};
  };
  // Records to export and their places in the batch being written.
  struct Slice {
    std::span<const LogRecord> records;
    std::span<const std::uint32_t> places;
    Slice first(std::size_t count) const { return {records.first(count), places.first(count)}; }
    Slice from(std::size_t start) const { return {records.subspan(start), places.subspan(start)}; }
  };

  SinkWriteOutcome settle(std::span<const LogRecord> batch);
  boost::asio::awaitable<RetryNeeded> export_records(Slice slice);
  boost::asio::awaitable<HttpSinkResponse> post(const OtlpExportBody& body);
  boost::asio::awaitable<RetryNeeded> split(Slice slice);
  void refuse(Slice slice, OtlpRejectReason reason, const std::string& detail);
  void count_delivered(Slice slice, std::size_t bytes, const HttpSinkResponse& response);
  std::string hold_reason(SinkHoldCause cause, const std::string& detail) const;
  void report_retry(std::size_t records, OtlpErrorKind kind, const std::string& detail);

  const std::string name_;
  OtlpSinkMetrics metrics_;
  OtlpLogsEncoder encoder_;
  HttpSinkClient client_;
  SinkHoldPolicy hold_policy_;
  // Across the pipeline's retries of one batch: a retry exports only what the collector has
  // neither taken nor refused yet (a split's delivered first half is not sent twice).
  BatchProgress progress_;
  std::vector<LogRecord> pending_records_;  // a retried batch's records still to export
  LogRateLimiter failure_log_;
  LogRateLimiter rejection_log_;
  LogRateLimiter partial_success_log_;
};

}  // namespace lc
