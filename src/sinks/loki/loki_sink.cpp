#include "sinks/loki/loki_sink.hpp"

#include <spdlog/spdlog.h>

#include <array>
#include <chrono>

#include "core/machine_hostname.hpp"
#include "sinks/common/http_authorization.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

// Whether a validation refusal of a push of `records` entries says it spared some of them.
bool refused_in_part(std::string_view body, std::size_t records) {
  const std::optional<LokiIgnoredEntries> ignored = loki_ignored_entries(body);
  // Without Loki's count the batch is refused whole: splitting blind could take 2N pushes.
  return ignored && ignored->ignored < records;
}

constexpr auto kLokiErrorLogInterval = std::chrono::seconds(10);

LokiErrorKind error_kind_of(SinkTransportError::Kind kind) {
  switch (kind) {
    case SinkTransportError::Kind::kConnect:
      return LokiErrorKind::kConnect;
    case SinkTransportError::Kind::kTls:
      return LokiErrorKind::kTls;
    case SinkTransportError::Kind::kTimeout:
      return LokiErrorKind::kTimeout;
    case SinkTransportError::Kind::kTransport:
      break;
  }
  return LokiErrorKind::kTransport;
}

// Throws std::invalid_argument on a malformed url.
HttpSinkClientSettings client_settings(const LokiSinkOptions& config) {
  HttpSinkClientSettings settings;
  settings.backend = "Loki";
  settings.action = "push";
  if (auto problem = parse_loki_push_url(config.url, settings.url)) {
    throw std::invalid_argument("loki url: " + *problem);
  }
  settings.tls = config.tls;
  settings.connect_timeout = config.connect_timeout;
  settings.request_timeout = config.request_timeout;
  if (!config.tenant_id.empty()) settings.headers.emplace_back("X-Scope-OrgID", config.tenant_id);
  add_http_authorization(settings.headers, config.username, config.password, config.bearer_token);
  return settings;
}

std::string loki_suppressed_note(std::uint64_t suppressed) {
  return suppressed == 0 ? std::string()
                         : fmt::format(" ({} similar errors since the last report)", suppressed);
}

std::int64_t unix_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

LokiSink::LokiSink(std::string name, const LokiSinkOptions& config, MetricsRegistry& metrics)
    : name_(std::move(name)),
      metrics_(metrics, name_),
      encoder_(config, config.hostname.empty() ? machine_hostname() : config.hostname),
      client_(client_settings(config), metrics_.connections_opened,
              metrics_.reused_connection_retries),
      failure_log_(kLokiErrorLogInterval),
      rejection_log_(kLokiErrorLogInterval) {}

asio::awaitable<SinkWriteOutcome> LokiSink::write(std::span<const LogRecord> batch) {
  if (batch.empty()) co_return SinkWriteOutcome::delivered();
  const PushResult result = co_await push(batch);
  if (!result.retry_reason.empty()) {
    metrics_.batches_retried.inc();
    if (const auto cause = hold_policy_.hold()) {
      co_return SinkWriteOutcome::hold(*cause, hold_reason(*cause, result.retry_reason));
    }
    SinkWriteOutcome retry = result.not_the_records
                                 ? SinkWriteOutcome::retry_not_the_records(result.retry_reason)
                                 : SinkWriteOutcome::retry(result.retry_reason);
    // A split's first half is stored: the retry sends it again (Loki drops exact duplicates
    // while their chunk is open), but retries running out must not dead-letter it.
    retry.delivered_records = result.delivered_places;
    co_return retry;
  }
  if (result.rejected > 0) {
    std::string reason = fmt::format("Loki refused {} of {} records: {}", result.rejected,
                                     batch.size(), result.reject_reason);
    if (result.delivered_places.empty()) co_return SinkWriteOutcome::rejected(std::move(reason));
    // Some halves of a split batch went in: only the refused records are dead letters.
    reason += fmt::format(" (it accepted the other {})", result.delivered_places.size());
    co_return SinkWriteOutcome::rejected_some(std::move(reason), std::move(result.rejected_places));
  }
  metrics_.delivered.batches.inc();
  co_return SinkWriteOutcome::delivered();
}

std::string LokiSink::hold_reason(SinkHoldCause cause, const std::string& detail) const {
  if (cause == SinkHoldCause::kAuth) {
    return detail + "; check tenant_id and the credentials (username/password or bearer_token)";
  }
  return fmt::format(
      "{}; {} answers in a row that are not Loki judging records: check the url and any proxy "
      "in between",
      detail, hold_policy_.threshold());
}

// GCC 12 wrongly reports -Wmismatched-new-delete for the frame of this coroutine (asio's
// awaitable frame has a sized class operator delete; GCC bug 109224). Nothing is mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<LokiSink::PushResult> LokiSink::push(std::span<const LogRecord> records) {
  // The body stays valid until the next encode(): split() encodes only after its last use.
  const LokiPushBody body = encoder_.encode(records);
  const HttpSinkRequestBody request_body{body.data, body.content_type, body.content_encoding};
  PushResult result;
  HttpSinkResponse response;
  metrics_.requests.inc();
  metrics_.requests_in_flight.add(1);
  const auto started = std::chrono::steady_clock::now();
  const auto finish = [&] {
    metrics_.requests_in_flight.sub(1);
    metrics_.observe_request_duration(std::chrono::steady_clock::now() - started);
  };
  try {
    response = co_await client_.post(request_body);
    finish();
  } catch (const SinkTransportError& error) {
    finish();
    const LokiErrorKind kind = error_kind_of(error.kind());
    metrics_.error(kind).inc();
    result.retry_reason = error.what();
    report_retry(records.size(), kind, result.retry_reason);
    co_return result;
  }

  const LokiResponseVerdict verdict = classify_loki_response(response.status, response.body);
  if (verdict.error) metrics_.error(*verdict.error).inc();
  hold_policy_.observe(verdict.answer_class);
  switch (verdict.answer_class) {
    case HttpResponseClass::kDelivered:
      metrics_.delivered.records.inc(records.size());
      metrics_.delivered.bytes.inc(body.data.size());
      metrics_.last_success_seconds.set(unix_seconds_now());
      for (std::uint32_t place = 0; place < records.size(); ++place) {
        result.delivered_places.push_back(place);
      }
      break;
    case HttpResponseClass::kTransient:
    case HttpResponseClass::kUnauthorized:
    case HttpResponseClass::kUnexpected:
      result.retry_reason = "Loki at " + client_.url().describe() + " answered " + verdict.detail;
      result.not_the_records = verdict.answer_class != HttpResponseClass::kTransient;
      report_retry(records.size(), *verdict.error, result.retry_reason);
      break;
    case HttpResponseClass::kTooLarge:
      if (records.size() > 1) co_return co_await split(records);
      result.rejected = 1;
      result.rejected_places = {0};
      result.reject_reason = fmt::format(
          "a single record of {} bytes makes a push request of {} bytes that Loki refuses as "
          "too large (HTTP 413)",
          records.front().message.size(), body.data.size());
      metrics_.rejected(LokiRejectReason::kTooLarge).inc();
      report_rejection(1, LokiRejectReason::kTooLarge, result.reject_reason);
      break;
    case HttpResponseClass::kRecordsRefused:
      // Loki stores the entries of a push it did not refuse: a batch refused only in part is
      // split until each refused record stands alone (the others, sent again, are exact
      // duplicates that Loki drops), so only those become dead letters.
      if (records.size() > 1 && refused_in_part(response.body, records.size())) {
        co_return co_await split(records);
      }
      result.rejected = records.size();
      for (std::uint32_t place = 0; place < records.size(); ++place) {
        result.rejected_places.push_back(place);
      }
      result.reject_reason = verdict.detail;
      metrics_.rejected(*verdict.reject_reason).inc(records.size());
      report_rejection(records.size(), *verdict.reject_reason, verdict.detail);
      break;
  }
  co_return result;
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

asio::awaitable<LokiSink::PushResult> LokiSink::split(std::span<const LogRecord> records) {
  metrics_.batch_splits.inc();
  const std::size_t half = records.size() / 2;
  PushResult result = co_await push(records.first(half));
  // The pipeline retries the whole batch: sending the second half first would only duplicate
  // it (Loki drops exact duplicates of what the first half may already have delivered).
  if (!result.retry_reason.empty()) co_return result;
  PushResult second = co_await push(records.subspan(half));
  for (const std::uint32_t place : second.delivered_places) {
    result.delivered_places.push_back(static_cast<std::uint32_t>(half + place));
  }
  result.rejected += second.rejected;
  for (const std::uint32_t place : second.rejected_places) {
    result.rejected_places.push_back(static_cast<std::uint32_t>(half + place));
  }
  result.retry_reason = std::move(second.retry_reason);
  result.not_the_records = second.not_the_records;
  if (result.reject_reason.empty()) result.reject_reason = std::move(second.reject_reason);
  co_return result;
}

void LokiSink::report_retry(std::size_t records, LokiErrorKind kind, const std::string& detail) {
  if (hold_policy_.hold()) return;  // the pipeline logs when the hold starts and ends
  if (auto suppressed = failure_log_.admit()) {
    spdlog::error("loki: push of {} records failed ({}): {}; it will be retried{}", records,
                  to_string(kind), detail, loki_suppressed_note(*suppressed));
  }
}

void LokiSink::report_rejection(std::size_t records, LokiRejectReason reason,
                                const std::string& detail) {
  if (auto suppressed = rejection_log_.admit()) {
    spdlog::warn("loki: {} refused {} records for good ({}): {}{}", client_.url().describe(),
                 records, to_string(reason), detail, loki_suppressed_note(*suppressed));
  }
}

}  // namespace lc
