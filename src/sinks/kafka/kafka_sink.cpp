#include "sinks/kafka/kafka_sink.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <optional>

#include "sinks/kafka/kafka_delivery_batch.hpp"
#include "sinks/kafka/kafka_producer.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

// librdkafka's queue is bounded (queue.buffering.max.kbytes): a full queue drains as the
// brokers acknowledge, so the produce call is tried again after this pause.
constexpr auto kQueueFullPause = std::chrono::milliseconds(5);

RecordTemplate parsed_template(const std::string& text) {
  RecordTemplate parsed;
  if (auto problem = RecordTemplate::parse(text, parsed)) {
    throw std::invalid_argument("kafka: " + *problem);  // checked when read: a bug if reached
  }
  return parsed;
}

asio::awaitable<void> sleep_for(std::chrono::milliseconds time) {
  asio::steady_timer timer(co_await asio::this_coro::executor, time);
  boost::system::error_code ignored;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
}

SinkHoldCause hold_cause(rd_kafka_resp_err_t error) {
  switch (error) {
    case RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_TRANSACTIONAL_ID_AUTHORIZATION_FAILED:
    case RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED:
    case RD_KAFKA_RESP_ERR__AUTHENTICATION:
      return SinkHoldCause::kAuth;
    default:  // unknown topic, the brokers' limits or codecs
      return SinkHoldCause::kMisconfiguration;
  }
}

}  // namespace

KafkaSink::KafkaSink(std::string name, const KafkaSinkOptions& options, std::uint64_t queue_bytes,
                     MetricsRegistry& metrics, std::string host, HealthRegistry* health)
    : name_(std::move(name)),
      options_(options),
      metrics_(metrics, name_),
      host_(std::move(host)),
      topic_(parsed_template(options.topic)),
      key_(parsed_template(options.key)),
      queue_bytes_(queue_bytes),
      health_(health),
      producer_(std::make_unique<KafkaProducer>(name_, options_, queue_bytes, metrics_, health_)) {
  for (const auto& [header, text] : options.headers) {
    headers_.emplace_back(header, parsed_template(text));
  }
}

KafkaSink::~KafkaSink() = default;

void KafkaSink::start() { producer_->start(known_topic()); }

std::string KafkaSink::known_topic() const {
  if (!topic_.constant()) return {};
  const LogRecord none;
  return topic_.render(RecordContext{none, host_});
}

void KafkaSink::stop(std::chrono::steady_clock::time_point deadline) { producer_->flush(deadline); }

void KafkaSink::encode_values(std::span<const LogRecord> batch,
                              const std::vector<std::uint32_t>& indices) {
  values_.clear();
  if (options_.encoding == KafkaSinkOptions::Encoding::kRaw) {
    for (const std::uint32_t index : indices) values_.emplace_back(batch[index].message);
    return;
  }
  arena_.clear();
  std::vector<std::size_t> ends;
  ends.reserve(indices.size());
  for (const std::uint32_t index : indices) {
    const std::size_t start = arena_.size();
    encoder_.append(arena_, batch[index]);
    if (arena_.size() > start && arena_.back() == '\n') arena_.pop_back();
    ends.push_back(arena_.size());
  }
  std::size_t start = 0;
  for (const std::size_t end : ends) {
    values_.emplace_back(arena_.data() + start, end - start);
    start = end;
  }
}

rd_kafka_resp_err_t KafkaSink::produce(const LogRecord& record, std::string_view value,
                                       void* ticket, std::string& local_reason) {
  const RecordContext context{record, host_};
  topic_name_.clear();
  topic_.render(context, topic_name_);
  if (auto problem = check_kafka_topic_name(topic_name_)) {
    local_reason = "topic: " + *problem;
    return RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION;
  }
  rd_kafka_topic_t* topic = producer_->topic(topic_name_);
  if (topic == nullptr) {
    local_reason = std::string("topic: ") + rd_kafka_err2str(rd_kafka_last_error());
    return RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION;
  }
  key_text_.clear();
  key_.render(context, key_text_);
  rd_kafka_headers_t* headers = nullptr;
  if (!headers_.empty()) {
    headers = rd_kafka_headers_new(headers_.size());
    for (const auto& [header, header_value] : headers_) {
      header_text_.clear();
      header_value.render(context, header_text_);
      rd_kafka_header_add(headers, header.data(), static_cast<ssize_t>(header.size()),
                          header_text_.data(), static_cast<ssize_t>(header_text_.size()));
    }
  }
  // No RD_KAFKA_MSG_F_COPY: the value stays in place until its report (see encode_values()).
  auto* payload = const_cast<char*>(value.data());  // NOLINT: librdkafka's API is not const
  const rd_kafka_resp_err_t error = rd_kafka_producev(
      producer_->handle(), RD_KAFKA_V_RKT(topic),
      RD_KAFKA_V_KEY(key_text_.empty() ? nullptr : key_text_.data(), key_text_.size()),
      RD_KAFKA_V_VALUE(payload, value.size()), RD_KAFKA_V_HEADERS(headers),
      RD_KAFKA_V_OPAQUE(ticket), RD_KAFKA_V_END);
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR && headers != nullptr) {
    rd_kafka_headers_destroy(headers);  // taken by librdkafka only on success
  }
  if (error != RD_KAFKA_RESP_ERR_NO_ERROR) local_reason = rd_kafka_err2str(error);
  return error;
}

asio::awaitable<KafkaSink::Round> KafkaSink::produce_round(
    std::span<const LogRecord> batch, const std::vector<std::uint32_t>& indices) {
  auto delivery =
      std::make_shared<KafkaDeliveryBatch>(co_await asio::this_coro::executor, indices.size());
  Round round;
  round.local_reasons.resize(indices.size());
  encode_values(batch, indices);
  std::int64_t in_flight = 0;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    for (;;) {
      const rd_kafka_resp_err_t error =
          produce(batch[indices[i]], values_[i], delivery->ticket(i), round.local_reasons[i]);
      if (error == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
        round.local_reasons[i].clear();
        co_await sleep_for(kQueueFullPause);
        continue;
      }
      if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
        ++in_flight;
        metrics_.messages_in_flight.add(1);
      } else {
        delivery->report(i, error);  // refused at once: never in flight
      }
      break;
    }
  }
  metrics_.queue_messages.set(rd_kafka_outq_len(producer_->handle()));
  co_await delivery->all_reported();
  metrics_.messages_in_flight.sub(in_flight);
  round.errors.resize(indices.size());
  for (std::size_t i = 0; i < indices.size(); ++i) {
    round.errors[i] = delivery->error(i);
    if (round.errors[i] == RD_KAFKA_RESP_ERR_NO_ERROR) round.bytes_delivered += values_[i].size();
  }
  co_return round;
}

rd_kafka_t* KafkaSink::librdkafka_handle() { return producer_->handle(); }

std::string KafkaSink::key_of(const LogRecord& record) {
  std::string key;
  key_.render(RecordContext{record, host_}, key);
  return key;
}

void KafkaSink::renew_producer_after_fatal_error() {
  std::array<char, 512> reason{};
  if (rd_kafka_fatal_error(producer_->handle(), reason.data(), reason.size()) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  spdlog::error("kafka sink {}: the producer failed for good ({}); starting a new one", name_,
                reason.data());
  producer_->flush(std::chrono::steady_clock::now());  // reports for all it still holds
  producer_ = std::make_unique<KafkaProducer>(name_, options_, queue_bytes_, metrics_, health_);
  producer_->start(known_topic());
}

void KafkaSink::keep_key_order(std::span<const LogRecord> batch,
                               const std::vector<std::uint32_t>& indices, const Round& round) {
  std::vector<std::string> failed_keys;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    if (progress_.state(indices[i]) == BatchProgress::State::kPending) {
      failed_keys.push_back(key_of(batch[indices[i]]));
      continue;
    }
    if (round.errors[i] != RD_KAFKA_RESP_ERR_NO_ERROR || failed_keys.empty()) continue;
    const std::string key = key_of(batch[indices[i]]);
    if (std::find(failed_keys.begin(), failed_keys.end(), key) != failed_keys.end()) {
      progress_.set(indices[i], BatchProgress::State::kPending);  // after the failed one
    }
  }
}

std::optional<SinkWriteOutcome> KafkaSink::judge(std::span<const LogRecord> batch,
                                                 const std::vector<std::uint32_t>& indices,
                                                 const Round& round) {
  std::optional<rd_kafka_resp_err_t> setup_error;
  std::string failure;
  std::size_t delivered = 0;
  for (std::size_t i = 0; i < indices.size(); ++i) {
    const rd_kafka_resp_err_t error = round.errors[i];
    if (error == RD_KAFKA_RESP_ERR_NO_ERROR) {
      progress_.set(indices[i], BatchProgress::State::kDelivered);
      ++delivered;
      continue;
    }
    const KafkaErrorKind kind = classify_kafka_error(error);
    metrics_.delivery_errors(kind).inc();
    const std::string reason =
        round.local_reasons[i].empty() ? rd_kafka_err2str(error) : round.local_reasons[i];
    if (kind == KafkaErrorKind::kRecord) {
      progress_.set(indices[i], BatchProgress::State::kRefused);
      progress_.note_refusal("kafka refused the record: " + reason);
      continue;
    }
    if (kind == KafkaErrorKind::kSetup && !setup_error) setup_error = error;
    if (failure.empty()) failure = "kafka: " + reason;
  }
  metrics_.delivered.records.inc(delivered);
  metrics_.delivered.bytes.inc(round.bytes_delivered);
  if (failure.empty()) return std::nullopt;
  // Acknowledged, even those produced again below to keep their key's order: should the
  // retries run out, they are no dead letters.
  std::vector<std::uint32_t> acknowledged = progress_.delivered();
  keep_key_order(batch, indices, round);
  if (setup_error) return SinkWriteOutcome::hold(hold_cause(*setup_error), failure);
  // Every message timed out while librdkafka could not log in: a setup error all the same.
  if (delivered == 0) {
    if (auto problem = producer_->setup_problem()) {
      return SinkWriteOutcome::hold(SinkHoldCause::kAuth, "kafka: " + *problem);
    }
  }
  SinkWriteOutcome retry = SinkWriteOutcome::retry(failure);
  retry.delivered_records = std::move(acknowledged);
  return retry;
}

asio::awaitable<SinkWriteOutcome> KafkaSink::write(std::span<const LogRecord> batch) {
  renew_producer_after_fatal_error();
  if (progress_.begin(batch)) metrics_.records_retried.inc(progress_.pending().size());
  const std::vector<std::uint32_t> pending = progress_.pending();
  if (!pending.empty()) {
    const Round round = co_await produce_round(batch, pending);
    if (auto failed = judge(batch, pending, round)) co_return *failed;  // progress kept
  }
  std::vector<std::uint32_t> refused = progress_.refused();
  const std::string reason = progress_.refusal_reason();
  progress_.settle();
  if (!refused.empty()) {
    if (refused.size() == batch.size()) co_return SinkWriteOutcome::rejected(reason);
    co_return SinkWriteOutcome::rejected_some(reason, std::move(refused));
  }
  metrics_.delivered.batches.inc();
  co_return SinkWriteOutcome::delivered();
}

}  // namespace lc
