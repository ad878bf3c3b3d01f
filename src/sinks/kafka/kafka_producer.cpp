#include "sinks/kafka/kafka_producer.hpp"

#include <simdjson.h>
#include <spdlog/spdlog.h>

#include <array>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "core/health_registry.hpp"
#include "sinks/kafka/kafka_delivery_batch.hpp"
#include "sinks/kafka/kafka_key_partitioner.hpp"
#include "sinks/kafka/kafka_producer_config.hpp"
#include "sinks/kafka/kafka_sink_metrics.hpp"

namespace lc {
namespace {

constexpr int kPollMilliseconds = 100;
constexpr const char* kStatisticsIntervalMs = "5000";
// How long the serving thread waits for the known topic's metadata at start before it serves
// callbacks: reports wait at most that long, once.
constexpr int kTopicLookupMs = 1000;
constexpr std::size_t kMaxTopicHandles = 1024;

// The brokers in librdkafka's statistics JSON, by name ("host:port/id"), and whether each is UP
// (bootstrap entries, nodeid -1, aside).
std::vector<std::pair<std::string, bool>> broker_states(std::string_view json) {
  std::vector<std::pair<std::string, bool>> states;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json.data(), json.size()).get(root)) return states;
  simdjson::dom::object brokers;
  if (root["brokers"].get(brokers)) return states;
  for (const auto field : brokers) {
    std::int64_t node = -1;
    std::string_view state;
    if (field.value["nodeid"].get(node) || field.value["state"].get(state)) continue;
    if (node >= 0) states.emplace_back(std::string(field.key), state == "UP");
  }
  return states;
}

}  // namespace

KafkaProducer::KafkaProducer(const std::string& sink_name, const KafkaSinkOptions& options,
                             std::uint64_t queue_bytes, KafkaSinkMetrics& metrics,
                             HealthRegistry* health)
    : sink_name_(sink_name),
      metrics_(metrics),
      health_(health),
      health_name_("sink." + sink_name + ".brokers") {
  KafkaConf conf = make_kafka_producer_config(options, queue_bytes);
  std::array<char, 512> error{};
  if (rd_kafka_conf_set(conf.get(), "statistics.interval.ms", kStatisticsIntervalMs, error.data(),
                        error.size()) != RD_KAFKA_CONF_OK) {
    throw std::invalid_argument(error.data());
  }
  use_kafka_key_partitioner(conf.get());
  rd_kafka_conf_set_opaque(conf.get(), this);
  rd_kafka_conf_set_dr_msg_cb(conf.get(), &KafkaProducer::on_delivery);
  rd_kafka_conf_set_error_cb(conf.get(), &KafkaProducer::on_error);
  rd_kafka_conf_set_stats_cb(conf.get(), &KafkaProducer::on_statistics);
  rd_kafka_conf_set_log_cb(conf.get(), &KafkaProducer::on_log);
  producer_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf.get(), error.data(), error.size());
  if (producer_ == nullptr) {
    throw std::runtime_error(std::string("cannot create the Kafka producer: ") + error.data());
  }
  conf.release();  // rd_kafka_new took it
}

KafkaProducer::~KafkaProducer() {
  stopping_ = true;
  if (server_.joinable()) server_.join();
  forget_topics();
  rd_kafka_destroy(producer_);
  if (health_ != nullptr) health_->remove(health_name_);
}

void KafkaProducer::report_brokers(bool reachable, const std::string& why) {
  if (health_ != nullptr) health_->set(health_name_, reachable, reachable ? std::string() : why);
}

std::optional<std::string> KafkaProducer::setup_problem() const {
  std::lock_guard lock(setup_problem_mutex_);
  return setup_problem_;
}

void KafkaProducer::start(const std::string& known_topic) {
  if (server_.joinable()) return;
  if (!known_topic.empty()) topic(known_topic);  // kept, with what look_up() learns of it
  server_ = std::thread([this, known_topic] { serve(known_topic); });
}

rd_kafka_topic_t* KafkaProducer::topic(const std::string& name) {
  if (auto found = topics_.find(name); found != topics_.end()) return found->second;
  if (topics_.size() >= kMaxTopicHandles) forget_topics();  // templated topics: bounded
  rd_kafka_topic_t* handle = rd_kafka_topic_new(producer_, name.c_str(), nullptr);
  if (handle != nullptr) topics_.emplace(name, handle);
  return handle;
}

void KafkaProducer::forget_topics() {
  for (const auto& [name, handle] : topics_) rd_kafka_topic_destroy(handle);
  topics_.clear();
}

void KafkaProducer::serve(const std::string& known_topic) {
  if (!known_topic.empty()) look_up(known_topic);
  while (!stopping_) rd_kafka_poll(producer_, kPollMilliseconds);
}

// librdkafka asks for a topic's partitions on its one-second timer after the first message to
// it; asked now, the first batch after a (re)start goes out as soon as it is produced. A broker
// that does not answer in time changes nothing: librdkafka's timer asks again.
// Its own handle: topics_ belongs to the sink's thread.
void KafkaProducer::look_up(const std::string& topic) {
  rd_kafka_topic_t* handle = rd_kafka_topic_new(producer_, topic.c_str(), nullptr);
  if (handle == nullptr) return;
  const rd_kafka_metadata_t* metadata = nullptr;
  if (rd_kafka_metadata(producer_, 0, handle, &metadata, kTopicLookupMs) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    rd_kafka_metadata_destroy(metadata);
  }
  rd_kafka_topic_destroy(handle);
}

void KafkaProducer::flush(std::chrono::steady_clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  if (rd_kafka_flush(producer_, static_cast<int>(std::max<std::int64_t>(0, left.count()))) ==
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return;
  }
  spdlog::warn("kafka sink {}: {} messages not acknowledged at shutdown; they stay undelivered",
               sink_name_, rd_kafka_outq_len(producer_));
  rd_kafka_purge(producer_, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_poll(producer_, 0);  // their reports, so that no write() waits for them
}

void KafkaProducer::on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR &&
      rd_kafka_message_status(message) == RD_KAFKA_MSG_STATUS_POSSIBLY_PERSISTED) {
    static_cast<KafkaProducer*>(opaque)->metrics_.possibly_persisted.inc();
  }
  if (message->_private != nullptr) KafkaDeliveryBatch::on_report(message->_private, message->err);
}

void KafkaProducer::on_error(rd_kafka_t* producer, int error, const char* reason, void* opaque) {
  auto* self = static_cast<KafkaProducer*>(opaque);
  const auto code = static_cast<rd_kafka_resp_err_t>(error);
  if (code == RD_KAFKA_RESP_ERR__FATAL) {
    std::array<char, 512> fatal{};
    rd_kafka_fatal_error(producer, fatal.data(), fatal.size());
    spdlog::error("kafka sink {}: fatal producer error: {}", self->sink_name_, fatal.data());
    return;
  }
  if (code == RD_KAFKA_RESP_ERR__AUTHENTICATION || code == RD_KAFKA_RESP_ERR__SSL ||
      code == RD_KAFKA_RESP_ERR_SASL_AUTHENTICATION_FAILED ||
      code == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED ||
      code == RD_KAFKA_RESP_ERR_CLUSTER_AUTHORIZATION_FAILED) {
    std::lock_guard lock(self->setup_problem_mutex_);
    self->setup_problem_ = reason;
  }
  if (code == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) {
    self->report_brokers(false, std::string("no Kafka broker reachable: ") + reason);
  }
  // Broker connection errors repeat at every reconnect: one line per kind until it changes.
  if (self->last_logged_error_.exchange(error) == error) return;
  spdlog::warn("kafka sink {}: {}", self->sink_name_, reason);
}

int KafkaProducer::on_statistics(rd_kafka_t*, char* json, std::size_t length, void* opaque) {
  auto* self = static_cast<KafkaProducer*>(opaque);
  const auto brokers = broker_states(std::string_view(json, length));
  self->metrics_.set_brokers(brokers);
  std::int64_t up = 0;
  for (const auto& [broker, is_up] : brokers) up += is_up ? 1 : 0;
  self->metrics_.brokers_up.set(static_cast<double>(up));
  self->report_brokers(up > 0, "no Kafka broker reachable (librdkafka's statistics)");
  if (up > 0) {
    self->last_logged_error_ = 0;  // the next error is news
    std::lock_guard lock(self->setup_problem_mutex_);
    self->setup_problem_.reset();
  }
  return 0;  // librdkafka frees the JSON
}

void KafkaProducer::on_log(const rd_kafka_t* producer, int level, const char* facility,
                           const char* text) {
  const auto* self = static_cast<const KafkaProducer*>(rd_kafka_opaque(producer));
  const std::string& name = self != nullptr ? self->sink_name_ : std::string();
  if (level <= 2) {  // syslog's critical and worse
    spdlog::error("kafka sink {}: librdkafka {}: {}", name, facility, text);
  } else {
    spdlog::debug("kafka sink {}: librdkafka {}: {}", name, facility, text);
  }
}

}  // namespace lc
