#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "core/log_rate_limiter.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/common/http_sink_client.hpp"
#include "sinks/common/sink_hold_policy.hpp"
#include "sinks/loki/loki_push_encoder.hpp"
#include "sinks/loki/loki_response_classification.hpp"
#include "sinks/loki/loki_sink_metrics.hpp"
#include "sinks/loki/loki_sink_options.hpp"
#include "sinks/sink.hpp"

namespace lc {

// Delivers batches to Grafana Loki's push API (docs/configuration.md, sinks.loki): one request per
// batch, over one keep-alive connection. Loki's answer decides the outcome: 2xx delivered;
// connection problems, timeouts, 429, 5xx retried (by the pipeline, with backoff); 413 splits the
// batch in halves, recursively, down to a single record that is then rejected; a 400 with one of
// Loki's validation messages rejected with that message; 401/403 hold the sink, and so do 5
// answers in a row that are neither (a wrong URL, a proxy's page), retried until then. Errors are
// logged at most once per 10 s per kind of problem.
class LokiSink : public Sink {
 public:
  // Throws std::invalid_argument (url, label entries) or std::runtime_error (TLS files).
  LokiSink(std::string name, const LokiSinkOptions& config, MetricsRegistry& metrics);

  const std::string& name() const override { return name_; }
  // Runs on the calling coroutine's executor (the sink loop).
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;

  const HttpUrl& url() const { return client_.url(); }

 private:
  // What became of the records of one push, and of its halves after a 413.
  struct PushResult {
    std::vector<std::uint32_t> delivered_places;  // in the pushed records, increasing
    std::size_t rejected = 0;
    std::vector<std::uint32_t> rejected_places;  // in the pushed records, increasing
    std::string retry_reason;      // set: the whole batch goes back to the pipeline for a retry
    bool not_the_records = false;  // the retry is for an answer that judges no record
    std::string reject_reason;     // the first rejection's
  };

  boost::asio::awaitable<PushResult> push(std::span<const LogRecord> records);
  boost::asio::awaitable<PushResult> split(std::span<const LogRecord> records);
  std::string hold_reason(SinkHoldCause cause, const std::string& detail) const;
  void report_retry(std::size_t records, LokiErrorKind kind, const std::string& detail);
  void report_rejection(std::size_t records, LokiRejectReason reason, const std::string& detail);

  const std::string name_;
  LokiSinkMetrics metrics_;
  LokiPushEncoder encoder_;
  HttpSinkClient client_;
  SinkHoldPolicy hold_policy_;
  LogRateLimiter failure_log_;
  LogRateLimiter rejection_log_;
};

}  // namespace lc
