#include "sinks/otlp/otlp_sink.hpp"

#include <spdlog/spdlog.h>

#include "core/machine_hostname.hpp"
#include "sinks/common/http_authorization.hpp"
#include "sinks/common/http_retry_after.hpp"
#include "sinks/otlp/otlp_export_response.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

constexpr auto kErrorLogInterval = std::chrono::seconds(10);

OtlpErrorKind error_kind_of(HttpTransportError::Kind kind) {
  switch (kind) {
    case HttpTransportError::Kind::kConnect:
      return OtlpErrorKind::kConnect;
    case HttpTransportError::Kind::kTls:
      return OtlpErrorKind::kTls;
    case HttpTransportError::Kind::kTimeout:
      return OtlpErrorKind::kTimeout;
    case HttpTransportError::Kind::kTransport:
      break;
  }
  return OtlpErrorKind::kTransport;
}

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
  std::string authorization =
      http_authorization(options.username, options.password, options.bearer_token);
  if (!authorization.empty()) settings.headers.emplace_back("Authorization", authorization);
  return settings;
}

std::string suppressed_note(std::uint64_t suppressed) {
  return suppressed == 0 ? std::string()
                         : fmt::format(" ({} similar messages since the last one)", suppressed);
}

}  // namespace

OtlpSink::OtlpSink(std::string name, const OtlpSinkOptions& options, MetricsRegistry& metrics)
    : name_(std::move(name)),
      metrics_(metrics, name_),
      encoder_(options, options.hostname.empty() ? machine_hostname() : options.hostname),
      client_(client_settings(options), metrics_.connections_opened,
              metrics_.reused_connection_retries),
      failure_log_(kErrorLogInterval),
      rejection_log_(kErrorLogInterval),
      partial_success_log_(kErrorLogInterval) {}

asio::awaitable<SinkWriteOutcome> OtlpSink::write(std::span<const LogRecord> batch) {
  if (batch.empty()) co_return SinkWriteOutcome::delivered();
  progress_.begin(batch);
  const std::vector<std::uint32_t> places = progress_.pending();
  Slice slice{batch, places};
  if (places.size() != batch.size()) {  // a retry: only what is still to export
    pending_records_.clear();
    for (const std::uint32_t place : places) pending_records_.push_back(batch[place]);
    slice.records = pending_records_;
  }
  const RetryNeeded retry = co_await export_records(slice);
  if (retry.reason.empty()) co_return settle(batch);
  metrics_.batches_retried.inc();
  if (const auto cause = hold_policy_.hold()) {
    co_return SinkWriteOutcome::hold(*cause, hold_reason(*cause, retry.reason));
  }
  SinkWriteOutcome outcome = retry.not_the_records
                                 ? SinkWriteOutcome::retry_not_the_records(retry.reason)
                                 : SinkWriteOutcome::retry(retry.reason);
  outcome.retry_after = retry.retry_after;
  co_return outcome;
}

SinkWriteOutcome OtlpSink::settle(std::span<const LogRecord> batch) {
  std::vector<std::uint32_t> refused = progress_.refused();
  const std::string reason = progress_.refusal_reason();
  progress_.settle();
  if (refused.empty()) {
    metrics_.delivered.batches.inc();
    return SinkWriteOutcome::delivered();
  }
  std::string why = fmt::format("the OTLP collector refused {} of {} records: {}", refused.size(),
                                batch.size(), reason);
  if (refused.size() == batch.size()) return SinkWriteOutcome::rejected(std::move(why));
  why += fmt::format(" (it accepted the other {})", batch.size() - refused.size());
  return SinkWriteOutcome::rejected_some(std::move(why), std::move(refused));
}

std::string OtlpSink::hold_reason(SinkHoldCause cause, const std::string& detail) const {
  if (cause == SinkHoldCause::kAuth) {
    return detail + "; check the credentials (headers, username/password or bearer_token)";
  }
  return fmt::format(
      "{}; check the endpoint (an OTLP/HTTP receiver with a logs pipeline at {}) and any proxy "
      "in between",
      detail, client_.url().describe());
}

// GCC 12 wrongly reports -Wmismatched-new-delete for the frames of these coroutines (asio's
// awaitable frame has a sized class operator delete; GCC bug 109224). Nothing is mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
// One request, timed and counted. Throws HttpTransportError when no answer came back.
asio::awaitable<HttpSinkResponse> OtlpSink::post(const OtlpExportBody& body) {
  const HttpSinkRequestBody request{body.data, body.content_type, body.content_encoding};
  metrics_.requests.inc();
  metrics_.requests_in_flight.add(1);
  const auto started = std::chrono::steady_clock::now();
  const auto finish = [&] {
    metrics_.requests_in_flight.sub(1);
    metrics_.observe_request_duration(std::chrono::steady_clock::now() - started);
  };
  try {
    HttpSinkResponse response = co_await client_.post(request);
    finish();
    co_return response;
  } catch (const HttpTransportError&) {
    finish();
    throw;
  } catch (const std::exception& error) {
    // Anything else (a header Beast refuses, memory) must not end the sink's lane: the batch is
    // retried like after a broken connection.
    finish();
    client_.close();
    throw HttpTransportError(HttpTransportError::Kind::kTransport,
                             std::string("export to the OTLP collector: ") + error.what());
  }
}

asio::awaitable<OtlpSink::RetryNeeded> OtlpSink::export_records(Slice slice) {
  // The body stays valid until the next encode(): split() encodes only after its last use.
  const OtlpExportBody body = encoder_.encode(slice.records);
  RetryNeeded retry;
  HttpSinkResponse response;
  try {
    response = co_await post(body);
  } catch (const HttpTransportError& error) {
    const OtlpErrorKind kind = error_kind_of(error.kind());
    metrics_.error(kind).inc();
    retry.reason = error.what();
    report_retry(slice.records.size(), kind, retry.reason);
    co_return retry;
  }
  const OtlpResponseVerdict verdict =
      classify_otlp_response(response.status, response.content_type, response.body);
  if (verdict.error) metrics_.error(*verdict.error).inc();
  if (verdict.wrong_endpoint) {
    hold_policy_.observe_misconfiguration();
  } else {
    hold_policy_.observe(verdict.answer_class);
  }
  switch (verdict.answer_class) {
    case HttpResponseClass::kDelivered:
      count_delivered(slice, body.data.size(), response);
      break;
    case HttpResponseClass::kTransient:
    case HttpResponseClass::kUnauthorized:
    case HttpResponseClass::kUnexpected:
      retry.reason =
          "the OTLP collector at " + client_.url().describe() + " answered " + verdict.detail;
      retry.not_the_records = verdict.answer_class != HttpResponseClass::kTransient;
      if (auto wait = parse_retry_after(response.retry_after, std::chrono::system_clock::now())) {
        retry.retry_after = *wait;
      }
      report_retry(slice.records.size(), *verdict.error, retry.reason);
      break;
    case HttpResponseClass::kTooLarge:
      if (slice.records.size() > 1) co_return co_await split(slice);
      refuse(slice, OtlpRejectReason::kTooLarge,
             fmt::format("a single record of {} bytes makes an export request of {} bytes that "
                         "the collector refuses as too large (HTTP 413)",
                         slice.records.front().message.size(), body.data.size()));
      break;
    case HttpResponseClass::kRecordsRefused:
      // A 400 refuses the whole request; splitting finds the records it refuses alone (the
      // others go in with their halves).
      if (slice.records.size() > 1) co_return co_await split(slice);
      refuse(slice, OtlpRejectReason::kBadRequest, verdict.detail);
      break;
  }
  co_return retry;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

asio::awaitable<OtlpSink::RetryNeeded> OtlpSink::split(Slice slice) {
  metrics_.batch_splits.inc();
  const std::size_t half = slice.records.size() / 2;
  RetryNeeded retry = co_await export_records(slice.first(half));
  // A failed first half: the second is not tried (the pipeline retries what is pending).
  if (!retry.reason.empty()) co_return retry;
  co_return co_await export_records(slice.from(half));
}

void OtlpSink::refuse(Slice slice, OtlpRejectReason reason, const std::string& detail) {
  for (const std::uint32_t place : slice.places) {
    progress_.set(place, BatchProgress::State::kRefused);
  }
  progress_.note_refusal(detail);
  metrics_.rejected(reason).inc(slice.records.size());
  if (auto suppressed = rejection_log_.admit()) {
    spdlog::warn("otlp: {} refused {} records for good ({}): {}{}", client_.url().describe(),
                 slice.records.size(), to_string(reason), detail, suppressed_note(*suppressed));
  }
}

void OtlpSink::count_delivered(Slice slice, std::size_t bytes, const HttpSinkResponse& response) {
  for (const std::uint32_t place : slice.places) {
    progress_.set(place, BatchProgress::State::kDelivered);
  }
  const std::size_t records = slice.records.size();
  metrics_.delivered.records.inc(records);
  metrics_.delivered.bytes.inc(bytes);
  metrics_.last_success_seconds.set(
      static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()));
  const OtlpPartialSuccess partial =
      parse_otlp_export_response(response.content_type, response.body);
  if (partial.rejected_log_records <= 0) return;
  metrics_.rejected_by_collector.inc(static_cast<std::uint64_t>(partial.rejected_log_records));
  if (auto suppressed = partial_success_log_.admit()) {
    spdlog::warn(
        "otlp: {} took an export of {} records but says it rejected {} of them (OTLP does not "
        "say which; they are not sent again): {}{}",
        client_.url().describe(), records, partial.rejected_log_records,
        partial.error_message.empty() ? "no message" : partial.error_message,
        suppressed_note(*suppressed));
  }
}

void OtlpSink::report_retry(std::size_t records, OtlpErrorKind kind, const std::string& detail) {
  if (hold_policy_.hold()) return;  // the pipeline logs when the hold starts and ends
  if (auto suppressed = failure_log_.admit()) {
    spdlog::error("otlp: export of {} records failed ({}): {}; it will be retried{}", records,
                  to_string(kind), detail, suppressed_note(*suppressed));
  }
}

}  // namespace lc
