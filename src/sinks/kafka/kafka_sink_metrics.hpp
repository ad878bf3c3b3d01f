#pragma once

#include <array>
#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "metrics/metrics_scope.hpp"
#include "sinks/common/sink_delivery_counters.hpp"
#include "sinks/kafka/kafka_delivery_error.hpp"

namespace lc {

// The Kafka sink's series, labelled sink="<name>" (docs/metrics.md). Registered once per sink.
// Gauges set from librdkafka's thread are atomics (Gauge is).
class KafkaSinkMetrics {
  MetricsScope scope_;  // first: the series below are its, gone with the sink

 public:
  KafkaSinkMetrics(MetricsRegistry& registry, const std::string& sink_name);

  SinkDeliveryCounters delivered;  // log_capturer_sink_{records,bytes}_written_total, _batches
  Counter& records_retried;        // records produced again by a retry of their batch
  // failed reports of messages the brokers may have written all the same (timed out in flight):
  // produced again, they can be duplicates
  Counter& possibly_persisted;
  Gauge& messages_in_flight;  // produced, delivery report not yet in
  Gauge& queue_messages;      // librdkafka's queue (rd_kafka_outq_len) at the last write
  Gauge& brokers_up;          // brokers librdkafka holds a connection to (its statistics)

  Counter& delivery_errors(KafkaErrorKind kind) { return *errors_[static_cast<std::size_t>(kind)]; }

  // log_capturer_kafka_broker_up{sink,broker="host:port/id"}: 1 while librdkafka's statistics
  // say the broker is UP, else 0. A broker's series is made when first seen, up to
  // kMaxBrokerSeries (a cluster's size, not unbounded). Called from librdkafka's thread.
  static constexpr std::size_t kMaxBrokerSeries = 64;
  // One statistics report: each broker in it, up or not; those seen before and missing now
  // (left the cluster's metadata) go to 0.
  void set_brokers(const std::vector<std::pair<std::string, bool>>& brokers);

 private:
  std::array<Counter*, kKafkaErrorKindCount> errors_{};
  const std::string sink_name_;
  std::mutex broker_mutex_;  // the scope's series list is not thread-safe
  std::map<std::string, Gauge*> broker_up_;
};

}  // namespace lc
