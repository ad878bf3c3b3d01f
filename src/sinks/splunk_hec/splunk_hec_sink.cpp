#include "sinks/splunk_hec/splunk_hec_sink.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/machine_hostname.hpp"
#include "sinks/splunk_hec/splunk_hec_response.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;

constexpr std::string_view kChannelHeader = "X-Splunk-Request-Channel";

// Throws std::invalid_argument on a malformed endpoint.
HttpSinkClientSettings client_settings(const SplunkHecSinkOptions& options,
                                       const std::string& channel) {
  HttpSinkClientSettings settings;
  settings.backend = "the Splunk HTTP Event Collector";
  settings.action = "HEC request";
  if (auto problem = parse_splunk_hec_url(options.endpoint, options.api, settings.url)) {
    throw std::invalid_argument("splunk_hec endpoint: " + *problem);
  }
  settings.tls = options.tls;
  settings.connect_timeout = options.connect_timeout;
  settings.request_timeout = options.request_timeout;
  settings.headers = options.headers;
  settings.headers.emplace_back("Authorization", "Splunk " + options.token);
  settings.headers.emplace_back(std::string(kChannelHeader), channel);
  return settings;
}

// "/services/collector/<what>" under the endpoint's path.
std::string collector_path(const SplunkHecSinkOptions& options, std::string_view what) {
  HttpUrl url;
  parse_splunk_hec_url(options.endpoint, SplunkHecSinkOptions::Api::kEvent, url);
  std::string path = url.target.substr(0, url.target.size() - std::string_view("event").size());
  return path + std::string(what);
}

}  // namespace

std::string random_uuid() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    throw std::runtime_error("no randomness for a request channel");
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3F) | 0x80);  // RFC 4122 variant
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    fmt::format_to(std::back_inserter(out), "{:02x}", bytes[i]);
  }
  return out;
}

SplunkHecSink::SplunkHecSink(std::string name, const SplunkHecSinkOptions& options,
                             MetricsRegistry& metrics)
    : SplunkHecSink(std::move(name), options, metrics, random_uuid()) {}

SplunkHecSink::SplunkHecSink(std::string name, const SplunkHecSinkOptions& options,
                             MetricsRegistry& metrics, std::string channel)
    : HttpExportSink(std::move(name), {"splunk_hec", "the Splunk HTTP Event Collector"},
                     client_settings(options, channel), metrics),
      channel_(std::move(channel)),
      raw_(options.api == SplunkHecSinkOptions::Api::kRaw),
      acknowledgements_(options.acknowledgements),
      ack_interval_(options.ack_interval),
      ack_timeout_(options.ack_timeout),
      index_templated_(options.index.find("{{") != std::string::npos),
      ack_target_(collector_path(options, "ack") + "?channel=" + channel_),
      raw_target_(collector_path(options, "raw") + "?channel=" + channel_),
      encoder_(options, machine_hostname()),
      acks_confirmed_(HttpExportSink::metrics().scope().counter(
          "log_capturer_splunk_hec_acks_confirmed_total",
          "Requests Splunk acknowledged as indexed (acknowledgements on).",
          {{"sink", this->name()}})),
      ack_timeouts_(HttpExportSink::metrics().scope().counter(
          "log_capturer_splunk_hec_ack_timeouts_total",
          "Requests not acknowledged within ack_timeout: their records are sent again (and may "
          "be indexed twice).",
          {{"sink", this->name()}})),
      ack_query_errors_(HttpExportSink::metrics().scope().counter(
          "log_capturer_splunk_hec_ack_query_errors_total",
          "Acknowledgement queries that failed or whose answer did not name the id asked about.",
          {{"sink", this->name()}})),
      accepted_without_ack_(HttpExportSink::metrics().scope().counter(
          "log_capturer_splunk_hec_accepted_without_ack_total",
          "Requests a collector accepted without an ackId while acknowledgements are on (the "
          "token's acknowledgement was switched off): counted as delivered on acceptance.",
          {{"sink", this->name()}})) {}

HttpSinkRequestBody SplunkHecSink::encode(std::span<const LogRecord> records) {
  return encoder_.encode(records);
}

HttpExportSink::Verdict SplunkHecSink::judge(const HttpSinkResponse& response,
                                             std::size_t records) {
  (void)records;  // HEC answers for the whole request
  HecVerdict hec = classify_hec_answer(response.status, response.body, index_templated_);
  Verdict verdict;
  verdict.answer_class = hec.answer_class;
  verdict.holds_at_once = hec.holds_at_once;
  verdict.detail = std::move(hec.detail);
  return verdict;
}

std::string SplunkHecSink::hold_hint(SinkHoldCause cause) const {
  if (cause == SinkHoldCause::kAuth) return "check the token (and that it is enabled)";
  return fmt::format(
      "check the endpoint ({}), the index the token may write, and, with acknowledgements, that "
      "the token has indexer acknowledgement on",
      url().describe());
}

std::string SplunkHecSink::target_of(const LogRecord& record) {
  std::string target = raw_target_;
  const std::string query = encoder_.query_of(record);
  if (!query.empty()) target += '&' + query;
  return target;
}

// GCC 12 wrongly reports -Wmismatched-new-delete for coroutine frames (GCC bug 109224).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
asio::awaitable<SinkWriteOutcome> SplunkHecSink::write(std::span<const LogRecord> batch) {
  if (acknowledgements_ && !acknowledgements_checked_ && !batch.empty()) {
    if (auto outcome = co_await check_acknowledgements()) co_return *outcome;
  }
  co_return co_await HttpExportSink::write(batch);
}

void SplunkHecSink::stop_waiting_by(std::chrono::steady_clock::time_point deadline) {
  stop_deadline_ = std::min(stop_deadline_, deadline);
  if (ack_timer_ != nullptr) ack_timer_->cancel();  // the wait looks at the deadline again
}

asio::awaitable<std::optional<SinkWriteOutcome>> SplunkHecSink::check_acknowledgements() {
  ack_body_ = R"({"acks":[]})";
  HttpSinkResponse answer;
  try {
    answer = co_await post({ack_body_, "application/json", ""}, ack_target_);
  } catch (const SinkTransportError& failure) {
    co_return SinkWriteOutcome::retry_not_the_records(failure.what());
  }
  if (answer.status == 200) {
    acknowledgements_checked_ = true;
    co_return std::nullopt;
  }
  const HecVerdict verdict = classify_hec_answer(answer.status, answer.body);
  if (verdict.answer_class == HttpResponseClass::kUnauthorized) {
    co_return SinkWriteOutcome::hold(SinkHoldCause::kAuth,
                                     "asking about acknowledgements: " + verdict.detail + "; " +
                                         hold_hint(SinkHoldCause::kAuth));
  }
  if (verdict.answer.code == 14) {
    co_return SinkWriteOutcome::hold(SinkHoldCause::kMisconfiguration,
                                     "acknowledgements are on here but off on the token (" +
                                         verdict.detail + "): nothing is sent until they match");
  }
  co_return SinkWriteOutcome::retry_not_the_records("asking about acknowledgements: " +
                                                    verdict.detail);
}

asio::awaitable<RetryNeeded> SplunkHecSink::confirm(const HttpSinkResponse& response,
                                                    std::size_t records) {
  if (!acknowledgements_) co_return RetryNeeded{};
  const std::optional<std::uint64_t> ack_id = parse_hec_answer(response.body).ack_id;
  if (!ack_id) {
    // Accepted and indexed without acknowledgement (switched off on the token since the check):
    // sending the batch again would index it twice. The next write checks again and holds.
    accepted_without_ack_.inc();
    acknowledgements_checked_ = false;
    co_return RetryNeeded{};
  }
  const auto timeout_at = std::chrono::steady_clock::now() + ack_timeout_;
  asio::steady_timer timer(co_await asio::this_coro::executor);
  ack_timer_ = &timer;
  struct Forget {
    boost::asio::steady_timer*& timer;
    ~Forget() { timer = nullptr; }
  } forget{ack_timer_};
  while (std::chrono::steady_clock::now() < std::min(timeout_at, stop_deadline_)) {
    timer.expires_at(std::min(std::chrono::steady_clock::now() + ack_interval_, stop_deadline_));
    boost::system::error_code ignored;
    co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (std::chrono::steady_clock::now() >= stop_deadline_) break;
    const std::optional<bool> indexed = co_await ask_ack(*ack_id);
    if (indexed.value_or(false)) {
      acks_confirmed_.inc();
      co_return RetryNeeded{};
    }
  }
  if (std::chrono::steady_clock::now() >= stop_deadline_) {
    co_return RetryNeeded{fmt::format("stopping before Splunk acknowledged ackId {}: the {} "
                                      "records are sent again after a restart",
                                      *ack_id, records),
                          true};
  }
  ack_timeouts_.inc();
  RetryNeeded retry;
  retry.reason = fmt::format(
      "{} accepted {} records (ackId {}) but did not acknowledge them as indexed within {} ms: "
      "they are sent again",
      "the Splunk HTTP Event Collector", records, *ack_id, ack_timeout_.count());
  retry.not_the_records = true;
  co_return retry;
}

asio::awaitable<std::optional<bool>> SplunkHecSink::ask_ack(std::uint64_t ack_id) {
  ack_body_ = fmt::format(R"({{"acks":[{}]}})", ack_id);
  HttpSinkResponse answer;
  try {
    answer = co_await post({ack_body_, "application/json", ""}, ack_target_);
  } catch (const SinkTransportError&) {
    ack_query_errors_.inc();
    co_return std::nullopt;
  }
  const auto acks = answer.status == 200 ? parse_hec_acks(answer.body) : std::nullopt;
  const auto found = acks ? acks->find(ack_id) : std::map<std::uint64_t, bool>::const_iterator{};
  if (!acks || found == acks->end()) {
    ack_query_errors_.inc();
    co_return std::nullopt;
  }
  co_return found->second;
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

}  // namespace lc
