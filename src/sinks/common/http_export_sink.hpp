#pragma once

#include <boost/asio/awaitable.hpp>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/log_rate_limiter.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/common/batch_attempt.hpp"
#include "sinks/common/http_export_error.hpp"
#include "sinks/common/http_export_metrics.hpp"
#include "sinks/common/http_response_class.hpp"
#include "sinks/common/http_sink_client.hpp"
#include "sinks/common/sink_hold_policy.hpp"
#include "sinks/sink.hpp"

namespace lc {

// A sink that sends batches as HTTP requests and learns from the answer which records the
// backend took (OTLP, HTTP, Elasticsearch; docs/architecture.md, "What a sink's answer means"):
// one request per batch (per target), over one keep-alive connection per endpoint, endpoints used
// in turn. 2xx delivered, or as the type reads the answer record by record; connection problems,
// timeouts, 408, 429 and 5xx retried by the pipeline, no sooner than a Retry-After; a refusal
// of the records (the type's judge() says which answers are) and 413 split the request in
// halves, recursively, down to the records refused alone, which are dead-lettered; 401/403/407
// hold the sink, and so do answers the type says hold at once, and 5 in a row that are none of
// these. A retry of the batch sends only what is neither delivered nor refused yet.
class HttpExportSink : public Sink {
 public:
  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;

  // The endpoint of the last request (the only one, but for Elasticsearch's `endpoints`).
  const HttpUrl& url() const { return clients_[last_client_]->url(); }

 protected:
  // What a 2xx answer says of one record, when the backend answers record by record.
  struct RecordAnswer {
    enum class Kind : std::uint8_t {
      kDelivered,
      kRefused,  // for good: dead-lettered with `detail`
      kRetry,    // the backend could not take it now (overloaded): sent again alone
    };
    Kind kind = Kind::kDelivered;
    std::string detail;  // kRefused, kRetry: the backend's reason
  };
  // What an answer means for the records of its request.
  struct Verdict {
    HttpResponseClass answer_class = HttpResponseClass::kDelivered;
    bool holds_at_once = false;  // a misconfiguration from the first answer (a wrong path)
    std::string detail;          // "HTTP 400 Bad Request: <the backend's message>"
    // kDelivered: one answer per record of the request, in order; empty: all were delivered.
    std::vector<RecordAnswer> records;
  };
  struct Identity {
    std::string metric_prefix;  // log_capturer_<prefix>_*: "otlp", "http"
    std::string backend;        // in messages: "the OTLP collector"
  };

  // Throws std::runtime_error on unloadable TLS files.
  HttpExportSink(std::string name, Identity identity, HttpSinkClientSettings settings,
                 MetricsRegistry& metrics);
  // Several endpoints of one backend, used in turn (at least one).
  HttpExportSink(std::string name, Identity identity, std::vector<HttpSinkClientSettings> endpoints,
                 MetricsRegistry& metrics);

  // One request's body for `records`; valid until the next call.
  virtual HttpSinkRequestBody encode(std::span<const LogRecord> records) = 0;
  // `records`: how many the request carried (an answer per record must have as many).
  virtual Verdict judge(const HttpSinkResponse& response, std::size_t records) = 0;
  // What to check while the sink holds for `cause`, after the answer.
  virtual std::string hold_hint(SinkHoldCause cause) const = 0;
  // After a 2xx for `records` records, before they count as delivered: whether the backend has
  // taken them for good (Splunk's indexer acknowledgement); a reason to retry them if not.
  virtual boost::asio::awaitable<RetryNeeded> confirm(const HttpSinkResponse& response,
                                                      std::size_t records) {
    (void)response;
    (void)records;
    co_return RetryNeeded{};
  }
  // A 2xx answer for `records` records (the OTLP sink reads its partial success).
  virtual void on_delivered(std::size_t records, const HttpSinkResponse& response) {
    (void)records;
    (void)response;
  }
  // Whether records may go to different request targets (target_of()).
  virtual bool has_targets() const { return false; }
  // The request target (path and query) of a record, when has_targets().
  virtual std::string target_of(const LogRecord& record) {
    (void)record;
    return {};
  }

  HttpExportMetrics& metrics() { return metrics_; }
  // One request, timed and counted, to the next endpoint. Throws SinkTransportError when no
  // answer came back.
  boost::asio::awaitable<HttpSinkResponse> post(const HttpSinkRequestBody& body,
                                                const std::string& target);

 private:
  boost::asio::awaitable<RetryNeeded> send_by_target(BatchSlice pending);
  boost::asio::awaitable<RetryNeeded> send(BatchSlice slice, const std::string& target);
  boost::asio::awaitable<RetryNeeded> split(BatchSlice slice, const std::string& target);
  RetryNeeded retry_for(const HttpSinkResponse& response, HttpExportError error,
                        const Verdict& verdict, std::size_t records);
  void refuse(const BatchSlice& slice, HttpExportRejection reason, const std::string& detail);
  // The records at `places` of the batch were delivered.
  void count_delivered(std::span<const std::uint32_t> places, std::size_t bytes,
                       const HttpSinkResponse& response);
  RetryNeeded settle_record_answers(const BatchSlice& slice, std::size_t bytes,
                                    const HttpSinkResponse& response, const Verdict& verdict);
  void report_retry(std::size_t records, HttpExportError kind, const std::string& detail);

  const std::string name_;
  const Identity identity_;
  HttpExportMetrics metrics_;
  std::vector<std::unique_ptr<HttpSinkClient>> clients_;
  std::size_t next_client_ = 0;  // the endpoint of the next request
  std::size_t last_client_ = 0;  // the endpoint of the last one
  SinkHoldPolicy hold_policy_;
  BatchAttempt attempt_;
  LogRateLimiter failure_log_;
  LogRateLimiter rejection_log_;
};

}  // namespace lc
