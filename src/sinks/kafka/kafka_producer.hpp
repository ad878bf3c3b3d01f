#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>

#include "sinks/kafka/kafka_sink_options.hpp"

namespace lc {

class HealthRegistry;
class KafkaSinkMetrics;

// One librdkafka producer and the thread that serves its callbacks: delivery reports (to the
// KafkaDeliveryBatch each message names), errors (logged, one line per kind of error) and
// statistics (brokers up). librdkafka's own log lines go to the agent's log at debug level
// (they repeat what the error callback says once), critical ones as errors. Created stopped;
// start() begins serving.
class KafkaProducer {
 public:
  // Throws std::invalid_argument (a property librdkafka refuses) or std::runtime_error.
  // `health` (may be null) gets component sink.<name>.brokers: unhealthy while no broker is
  // reachable.
  KafkaProducer(const std::string& sink_name, const KafkaSinkOptions& options,
                std::uint64_t queue_bytes, KafkaSinkMetrics& metrics, HealthRegistry* health);
  ~KafkaProducer();
  KafkaProducer(const KafkaProducer&) = delete;
  KafkaProducer& operator=(const KafkaProducer&) = delete;

  // `known_topic`: the sink's topic when its template is constant (else empty): its metadata is
  // asked for at once, so that the first batch need not wait for librdkafka's one-second timer.
  void start(const std::string& known_topic);
  // Waits until every message has its report or the deadline passed; what is left is purged
  // (reported failed, so that no write() waits for it).
  void flush(std::chrono::steady_clock::time_point deadline);

  rd_kafka_t* handle() { return producer_; }
  // librdkafka's handle of the topic named `name`, kept: a message produced by name would take
  // the producer's write lock to look the topic up again (the sink's thread only, after start).
  rd_kafka_topic_t* topic(const std::string& name);
  // The last authentication, TLS or authorization error librdkafka's error callback reported
  // while no broker was up (its messages then only time out); nullopt once brokers are up.
  std::optional<std::string> setup_problem() const;
  const std::string& sink_name() const { return sink_name_; }

 private:
  static void on_delivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque);
  static void on_error(rd_kafka_t*, int error, const char* reason, void* opaque);
  static int on_statistics(rd_kafka_t*, char* json, std::size_t length, void* opaque);
  static void on_log(const rd_kafka_t* producer, int level, const char* facility, const char* text);
  void serve(const std::string& known_topic);
  void look_up(const std::string& topic);
  void forget_topics();
  void report_brokers(bool reachable, const std::string& why);

  std::string sink_name_;
  KafkaSinkMetrics& metrics_;
  HealthRegistry* health_;
  std::string health_name_;
  rd_kafka_t* producer_ = nullptr;
  std::unordered_map<std::string, rd_kafka_topic_t*> topics_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> last_logged_error_{0};
  mutable std::mutex setup_problem_mutex_;
  std::optional<std::string> setup_problem_;
  std::thread server_;
};

}  // namespace lc
