#include "sinks/common/http_export_sink.hpp"

#include <spdlog/spdlog.h>

#include <map>

#include "sinks/common/http_retry_after.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

constexpr auto kErrorLogInterval = std::chrono::seconds(10);

std::string suppressed_note(std::uint64_t suppressed) {
  return suppressed == 0 ? std::string()
                         : fmt::format(" ({} similar messages since the last one)", suppressed);
}

// The records of one request target, with their places in the batch.
struct TargetGroup {
  std::string target;
  std::vector<LogRecord> records;
  std::vector<std::uint32_t> places;
};

}  // namespace

HttpExportSink::HttpExportSink(std::string name, Identity identity, HttpSinkClientSettings settings,
                               MetricsRegistry& metrics)
    : HttpExportSink(std::move(name), std::move(identity),
                     std::vector<HttpSinkClientSettings>{std::move(settings)}, metrics) {}

HttpExportSink::HttpExportSink(std::string name, Identity identity,
                               std::vector<HttpSinkClientSettings> endpoints,
                               MetricsRegistry& metrics)
    : name_(std::move(name)),
      identity_(std::move(identity)),
      metrics_(metrics, name_, identity_.metric_prefix, identity_.backend),
      failure_log_(kErrorLogInterval),
      rejection_log_(kErrorLogInterval) {
  if (endpoints.empty()) throw std::invalid_argument(identity_.metric_prefix + ": no endpoint");
  for (HttpSinkClientSettings& settings : endpoints) {
    clients_.push_back(std::make_unique<HttpSinkClient>(
        std::move(settings), metrics_.connections_opened, metrics_.reused_connection_retries));
  }
}

asio::awaitable<SinkWriteOutcome> HttpExportSink::write(std::span<const LogRecord> batch) {
  if (batch.empty()) co_return SinkWriteOutcome::delivered();
  const RetryNeeded retry = co_await send_by_target(attempt_.begin(batch));
  if (retry.reason.empty()) {
    SinkWriteOutcome outcome = attempt_.settle(batch, identity_.backend);
    if (outcome.ok()) metrics_.delivered.batches.inc();
    co_return outcome;
  }
  metrics_.batches_retried.inc();
  if (const auto cause = hold_policy_.hold()) {
    co_return SinkWriteOutcome::hold(*cause, retry.reason + "; " + hold_hint(*cause));
  }
  co_return attempt_.retry(retry);
}

asio::awaitable<RetryNeeded> HttpExportSink::send_by_target(BatchSlice pending) {
  if (!has_targets()) co_return co_await send(pending, std::string());
  // Records in batch order within each target; targets in order of first appearance.
  std::vector<TargetGroup> groups;
  std::map<std::string, std::size_t> group_of;
  for (std::size_t i = 0; i < pending.records.size(); ++i) {
    std::string target = target_of(pending.records[i]);
    auto [place, added] = group_of.try_emplace(target, groups.size());
    if (added) groups.push_back({std::move(target), {}, {}});
    groups[place->second].records.push_back(pending.records[i]);
    groups[place->second].places.push_back(pending.places[i]);
  }
  for (const TargetGroup& group : groups) {
    RetryNeeded retry = co_await send({group.records, group.places}, group.target);
    if (!retry.reason.empty()) co_return retry;
  }
  co_return RetryNeeded{};
}

// GCC 12 wrongly reports -Wmismatched-new-delete for the frames of these coroutines (asio's
// awaitable frame has a sized class operator delete; GCC bug 109224). Nothing is mismatched.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<HttpSinkResponse> HttpExportSink::post(const HttpSinkRequestBody& body,
                                                       const std::string& target) {
  metrics_.requests.inc();
  metrics_.requests_in_flight.add(1);
  const auto started = std::chrono::steady_clock::now();
  const auto finish = [&] {
    metrics_.requests_in_flight.sub(1);
    metrics_.observe_request_duration(std::chrono::steady_clock::now() - started);
  };
  // Endpoints in turn, each with its own keep-alive connection.
  last_client_ = next_client_;
  next_client_ = (next_client_ + 1) % clients_.size();
  HttpSinkClient& client = *clients_[last_client_];
  try {
    HttpSinkResponse response = co_await client.post(body, target);
    finish();
    co_return response;
  } catch (const SinkTransportError&) {
    finish();
    throw;
  } catch (const std::exception& error) {
    // Anything else (a header Beast refuses, memory) must not end the sink's lane: the batch is
    // retried like after a broken connection.
    finish();
    client.close();
    throw SinkTransportError(SinkTransportError::Kind::kTransport,
                             "request to " + identity_.backend + ": " + error.what());
  }
}

asio::awaitable<RetryNeeded> HttpExportSink::send(BatchSlice slice, const std::string& target) {
  HttpSinkRequestBody body;
  try {
    // Valid until the next encode(): split() encodes only after its last use.
    body = encode(slice.records);
  } catch (const std::exception& failure) {  // a compressor out of memory: not the records'
    metrics_.error(HttpExportError::kTransport).inc();
    co_return RetryNeeded{std::string("encoding a request: ") + failure.what()};
  }
  HttpSinkResponse response;
  try {
    response = co_await post(body, target);
  } catch (const SinkTransportError& failure) {
    const HttpExportError error = http_export_error_of(failure.kind());
    metrics_.error(error).inc();
    report_retry(slice.records.size(), error, failure.what());
    co_return RetryNeeded{failure.what()};
  }
  const Verdict verdict = judge(response, slice.records.size());
  const HttpExportError error = http_export_error_of(response.status);
  if (verdict.answer_class != HttpResponseClass::kDelivered) metrics_.error(error).inc();
  if (verdict.holds_at_once) {
    hold_policy_.observe_misconfiguration();
  } else {
    hold_policy_.observe(verdict.answer_class);
  }
  switch (verdict.answer_class) {
    case HttpResponseClass::kDelivered: {
      if (!verdict.records.empty()) {
        co_return settle_record_answers(slice, body.data.size(), response, verdict);
      }
      RetryNeeded unconfirmed = co_await confirm(response, slice.records.size());
      if (!unconfirmed.reason.empty()) co_return unconfirmed;
      count_delivered(slice.places, body.data.size(), response);
      break;
    }
    case HttpResponseClass::kTransient:
    case HttpResponseClass::kUnauthorized:
    case HttpResponseClass::kUnexpected:
      co_return retry_for(response, error, verdict, slice.records.size());
    case HttpResponseClass::kTooLarge:
      if (slice.records.size() > 1) co_return co_await split(slice, target);
      refuse(
          slice, HttpExportRejection::kTooLarge,
          fmt::format("a single record of {} bytes makes a request of {} bytes that {} "
                      "refuses as too large (HTTP 413)",
                      slice.records.front().message.size(), body.data.size(), identity_.backend));
      break;
    case HttpResponseClass::kRecordsRefused:
      // The request was refused whole; splitting finds the records refused alone (the others
      // go in with their halves).
      if (slice.records.size() > 1) co_return co_await split(slice, target);
      refuse(slice, HttpExportRejection::kBadRequest, verdict.detail);
      break;
  }
  co_return RetryNeeded{};
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

asio::awaitable<RetryNeeded> HttpExportSink::split(BatchSlice slice, const std::string& target) {
  metrics_.batch_splits.inc();
  const std::size_t half = slice.records.size() / 2;
  RetryNeeded retry = co_await send(slice.first(half), target);
  // A failed first half: the second is not tried (the pipeline retries what is pending).
  if (!retry.reason.empty()) co_return retry;
  co_return co_await send(slice.from(half), target);
}

RetryNeeded HttpExportSink::retry_for(const HttpSinkResponse& response, HttpExportError error,
                                      const Verdict& verdict, std::size_t records) {
  RetryNeeded retry;
  retry.reason = identity_.backend + " at " + url().describe() + " answered " + verdict.detail;
  retry.not_the_records = verdict.answer_class != HttpResponseClass::kTransient;
  if (auto wait = parse_retry_after(response.retry_after, std::chrono::system_clock::now())) {
    retry.retry_after = *wait;
  }
  report_retry(records, error, retry.reason);
  return retry;
}

void HttpExportSink::refuse(const BatchSlice& slice, HttpExportRejection reason,
                            const std::string& detail) {
  attempt_.refused(slice, detail);
  metrics_.rejected(reason).inc(slice.records.size());
  if (auto suppressed = rejection_log_.admit()) {
    spdlog::warn("{}: {} refused {} records for good ({}): {}{}", identity_.metric_prefix,
                 url().describe(), slice.records.size(), to_string(reason), detail,
                 suppressed_note(*suppressed));
  }
}

void HttpExportSink::count_delivered(std::span<const std::uint32_t> places, std::size_t bytes,
                                     const HttpSinkResponse& response) {
  attempt_.delivered(places);
  metrics_.delivered.records.inc(places.size());
  metrics_.delivered.bytes.inc(bytes);
  metrics_.last_success_seconds.set(
      static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count()));
  on_delivered(places.size(), response);
}

// A 2xx answer that judged each record (Elasticsearch's bulk items): the delivered ones count,
// the refused ones are dead-lettered, and a retry of the batch sends only the rest.
RetryNeeded HttpExportSink::settle_record_answers(const BatchSlice& slice, std::size_t bytes,
                                                  const HttpSinkResponse& response,
                                                  const Verdict& verdict) {
  std::vector<std::uint32_t> delivered_places;
  std::size_t retried = 0;
  const std::string* first_retry_detail = nullptr;
  for (std::size_t i = 0; i < slice.records.size(); ++i) {
    const RecordAnswer& answer = verdict.records[i];
    if (answer.kind == RecordAnswer::Kind::kDelivered) {
      delivered_places.push_back(slice.places[i]);
    } else if (answer.kind == RecordAnswer::Kind::kRefused) {
      refuse(slice.from(i).first(1), HttpExportRejection::kBadRequest, answer.detail);
    } else if (retried++ == 0) {
      first_retry_detail = &answer.detail;
    }
  }
  if (!delivered_places.empty()) {
    // The request's bytes in proportion: a retry sends the rest again.
    count_delivered(delivered_places, bytes * delivered_places.size() / slice.records.size(),
                    response);
  }
  if (retried == 0) return RetryNeeded{};
  RetryNeeded retry;
  retry.reason = fmt::format("{} at {} could not take {} of {} records now: {}", identity_.backend,
                             url().describe(), retried, slice.records.size(), *first_retry_detail);
  if (auto wait = parse_retry_after(response.retry_after, std::chrono::system_clock::now())) {
    retry.retry_after = *wait;
  }
  if (auto suppressed = failure_log_.admit(); suppressed && !hold_policy_.hold()) {
    spdlog::error("{}: {}; they will be sent again{}", identity_.metric_prefix, retry.reason,
                  suppressed_note(*suppressed));
  }
  return retry;
}

void HttpExportSink::report_retry(std::size_t records, HttpExportError kind,
                                  const std::string& detail) {
  if (hold_policy_.hold()) return;  // the pipeline logs when the hold starts and ends
  if (auto suppressed = failure_log_.admit()) {
    spdlog::error("{}: request of {} records failed ({}): {}; it will be retried{}",
                  identity_.metric_prefix, records, to_string(kind), detail,
                  suppressed_note(*suppressed));
  }
}

}  // namespace lc
