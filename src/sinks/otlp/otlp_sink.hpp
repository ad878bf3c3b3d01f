#pragma once

#include <span>
#include <string>

#include "core/log_rate_limiter.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/common/http_export_sink.hpp"
#include "sinks/otlp/otlp_logs_encoder.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"

namespace lc {

// Exports batches to an OpenTelemetry collector over OTLP/HTTP (docs/configuration.md, sinks of
// type otlp): POST <endpoint>/v1/logs, the answers handled as HttpExportSink says, with the
// OTLP/HTTP specification's meanings: a 400 refuses the records only with the collector's
// google.rpc.Status; 404 holds at once (no logs receiver there); a 2xx's partial_success
// rejected count is counted and logged (the protocol cannot say which records).
class OtlpSink : public HttpExportSink {
 public:
  // Throws std::invalid_argument (endpoint, templates) or std::runtime_error (TLS files).
  OtlpSink(std::string name, const OtlpSinkOptions& options, MetricsRegistry& metrics);

 protected:
  HttpSinkRequestBody encode(std::span<const LogRecord> records) override;
  Verdict judge(const HttpSinkResponse& response, std::size_t records) override;
  std::string hold_hint(SinkHoldCause cause) const override;
  void on_delivered(std::size_t records, const HttpSinkResponse& response) override;

 private:
  OtlpLogsEncoder encoder_;
  Counter& rejected_by_collector_;  // partial_success.rejected_log_records, summed
  LogRateLimiter partial_success_log_;
};

}  // namespace lc
