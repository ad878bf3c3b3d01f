#pragma once

#include <span>
#include <string>

#include "core/record_template.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/common/http_export_sink.hpp"
#include "sinks/http/http_output_encoder.hpp"
#include "sinks/http/http_output_options.hpp"

namespace lc {

// Sends batches to any HTTP endpoint (docs/configuration.md, sinks of type http): POST or PUT to
// the URL, whose path may be a template (a request per distinct target), the answers handled as
// HttpExportSink says: 400 and 422 refuse the records (the request is split until the refused
// ones stand alone, then dead-lettered), 404 and 405 hold the sink at once (a wrong URL or
// method).
class HttpOutputSink : public HttpExportSink {
 public:
  // Throws std::invalid_argument (url) or std::runtime_error (TLS files).
  HttpOutputSink(std::string name, const HttpOutputOptions& options, MetricsRegistry& metrics);

 protected:
  HttpSinkRequestBody encode(std::span<const LogRecord> records) override;
  Verdict judge(const HttpSinkResponse& response, std::size_t records) override;
  std::string hold_hint(SinkHoldCause cause) const override;
  bool has_targets() const override { return !target_.constant(); }
  std::string target_of(const LogRecord& record) override;

 private:
  RecordTemplate target_;
  const std::string host_;  // .host in the URL's template
  HttpOutputEncoder encoder_;
};

// `text` (the literal parts of a request target) with the bytes a URL cannot carry
// percent-encoded: blanks, controls, non-ASCII, and "<>\"{}|\\^`"; the URL's own delimiters
// are kept.
std::string percent_encode_target(std::string_view text);

}  // namespace lc
