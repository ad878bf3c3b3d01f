#pragma once

#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <optional>
#include <span>
#include <string>

#include "metrics/metrics_registry.hpp"
#include "sinks/common/http_export_sink.hpp"
#include "sinks/splunk_hec/splunk_hec_encoder.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"

namespace lc {

// Sends batches to a Splunk HTTP Event Collector (docs/configuration.md, sinks of type
// splunk_hec): JSON events to /services/collector/event, or lines to /services/collector/raw
// (a request per distinct metadata), on one request channel. HEC's status codes decide
// (SplunkHecVerdict). With acknowledgements, a batch accepted by the collector counts as
// delivered only once /services/collector/ack says its ackId is indexed; one not acknowledged
// within ack_timeout is sent again (at least once: Splunk has no way to drop a repeat).
class SplunkHecSink : public HttpExportSink {
 public:
  // Throws std::invalid_argument (endpoint, templates) or std::runtime_error (TLS files).
  SplunkHecSink(std::string name, const SplunkHecSinkOptions& options, MetricsRegistry& metrics);

  const std::string& channel() const { return channel_; }
  // With acknowledgements, asks the collector first whether the token acknowledges (an empty
  // ack query: 400 code 14 when not), so that no batch is indexed by a token that never will.
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;
  void stop_waiting_by(std::chrono::steady_clock::time_point deadline) override;

 protected:
  HttpSinkRequestBody encode(std::span<const LogRecord> records) override;
  Verdict judge(const HttpSinkResponse& response, std::size_t records) override;
  std::string hold_hint(SinkHoldCause cause) const override;
  boost::asio::awaitable<RetryNeeded> confirm(const HttpSinkResponse& response,
                                              std::size_t records) override;
  bool has_targets() const override { return raw_; }
  std::string target_of(const LogRecord& record) override;

 private:
  SplunkHecSink(std::string name, const SplunkHecSinkOptions& options, MetricsRegistry& metrics,
                std::string channel);
  // Whether `ack_id` is indexed: asks once; nothing when the answer says nothing about it.
  boost::asio::awaitable<std::optional<bool>> ask_ack(std::uint64_t ack_id);
  // The empty ack query before the first batch; an outcome when the batch must not be sent.
  boost::asio::awaitable<std::optional<SinkWriteOutcome>> check_acknowledgements();

  const std::string channel_;  // a random UUID, this sink's for its whole life
  const bool raw_;
  const bool acknowledgements_;
  const std::chrono::milliseconds ack_interval_;
  const std::chrono::milliseconds ack_timeout_;
  const bool index_templated_;  // a per-record index: an incorrect one is the records' fault
  bool acknowledgements_checked_ = false;
  // Waits end by then (stop_waiting_by); the timer of the wait in progress, to wake it.
  std::chrono::steady_clock::time_point stop_deadline_ =
      std::chrono::steady_clock::time_point::max();
  boost::asio::steady_timer* ack_timer_ = nullptr;
  const std::string ack_target_;  // /services/collector/ack?channel=...
  const std::string raw_target_;  // /services/collector/raw?channel=...
  SplunkHecEncoder encoder_;
  std::string ack_body_;
  Counter& acks_confirmed_;
  Counter& ack_timeouts_;
  Counter& ack_query_errors_;
  Counter& accepted_without_ack_;
};

// A random version 4 UUID ("3f2b...-4...-8..."), for a request channel.
std::string random_uuid();

}  // namespace lc
