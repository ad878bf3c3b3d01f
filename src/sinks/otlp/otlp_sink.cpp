#include "sinks/otlp/otlp_sink.hpp"

#include <spdlog/spdlog.h>

#include "core/machine_hostname.hpp"
#include "sinks/common/http_authorization.hpp"
#include "sinks/otlp/otlp_export_response.hpp"
#include "sinks/otlp/otlp_response_classification.hpp"

namespace lc {
namespace {

// Throws std::invalid_argument on a malformed endpoint.
HttpSinkClientSettings client_settings(const OtlpSinkOptions& options) {
  HttpSinkClientSettings settings;
  settings.backend = "the OTLP collector";
  settings.action = "export";
  if (auto problem = parse_otlp_logs_url(options.endpoint, settings.url)) {
    throw std::invalid_argument("otlp endpoint: " + *problem);
  }
  settings.tls = options.tls;
  settings.connect_timeout = options.connect_timeout;
  settings.request_timeout = options.request_timeout;
  settings.headers = options.headers;
  add_http_authorization(settings.headers, options.username, options.password,
                         options.bearer_token);
  return settings;
}

}  // namespace

OtlpSink::OtlpSink(std::string name, const OtlpSinkOptions& options, MetricsRegistry& metrics)
    : HttpExportSink(std::move(name), {"otlp", "the OTLP collector"}, client_settings(options),
                     metrics),
      encoder_(options, options.hostname.empty() ? machine_hostname() : options.hostname),
      rejected_by_collector_(HttpExportSink::metrics().scope().counter(
          "log_capturer_otlp_records_rejected_by_collector_total",
          "Records a collector answered 200 for but said it rejected "
          "(partial_success.rejected_log_records): the protocol does not say which, so the "
          "batch counts as delivered.",
          {{"sink", this->name()}})),
      partial_success_log_(std::chrono::seconds(10)) {}

HttpSinkRequestBody OtlpSink::encode(std::span<const LogRecord> records) {
  const OtlpExportBody body = encoder_.encode(records);
  return {body.data, body.content_type, body.content_encoding};
}

HttpExportSink::Verdict OtlpSink::judge(const HttpSinkResponse& response, std::size_t records) {
  (void)records;  // one answer for the whole request

  OtlpResponseVerdict otlp =
      classify_otlp_response(response.status, response.content_type, response.body);
  Verdict verdict;
  verdict.answer_class = otlp.answer_class;
  verdict.holds_at_once = otlp.wrong_endpoint;
  verdict.detail = std::move(otlp.detail);
  return verdict;
}

std::string OtlpSink::hold_hint(SinkHoldCause cause) const {
  if (cause == SinkHoldCause::kAuth) {
    return "check the credentials (headers, username/password or bearer_token)";
  }
  return fmt::format(
      "check the endpoint (an OTLP/HTTP receiver with a logs pipeline at {}) and any proxy in "
      "between",
      url().describe());
}

void OtlpSink::on_delivered(std::size_t records, const HttpSinkResponse& response) {
  const OtlpPartialSuccess partial =
      parse_otlp_export_response(response.content_type, response.body);
  if (partial.rejected_log_records <= 0) return;
  rejected_by_collector_.inc(static_cast<std::uint64_t>(partial.rejected_log_records));
  if (auto suppressed = partial_success_log_.admit()) {
    spdlog::warn(
        "otlp: {} took an export of {} records but says it rejected {} of them (OTLP does not "
        "say which; they are not sent again): {}{}",
        url().describe(), records, partial.rejected_log_records,
        partial.error_message.empty() ? "no message" : partial.error_message,
        *suppressed == 0 ? std::string()
                         : fmt::format(" ({} similar messages since the last one)", *suppressed));
  }
}

}  // namespace lc
