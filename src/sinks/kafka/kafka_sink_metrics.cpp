#include "sinks/kafka/kafka_sink_metrics.hpp"

namespace lc {

KafkaSinkMetrics::KafkaSinkMetrics(MetricsRegistry& registry, const std::string& sink_name)
    : scope_(registry),
      delivered(scope_, sink_name),
      records_retried(scope_.counter(
          "log_capturer_kafka_records_retried_total",
          "Records the Kafka sink produced again when the pipeline retried their batch (only "
          "those Kafka had not acknowledged).",
          {{"sink", sink_name}})),
      possibly_persisted(scope_.counter(
          "log_capturer_kafka_records_possibly_persisted_total",
          "Failed delivery reports of messages the brokers may have written all the same (timed "
          "out while in flight); produced again, they may be stored twice.",
          {{"sink", sink_name}})),
      messages_in_flight(scope_.gauge("log_capturer_kafka_messages_in_flight",
                                      "Messages produced to Kafka whose delivery report has not "
                                      "come yet.",
                                      {{"sink", sink_name}})),
      queue_messages(scope_.gauge("log_capturer_kafka_queue_messages",
                                  "Messages in librdkafka's queue (rd_kafka_outq_len), sampled "
                                  "at each batch.",
                                  {{"sink", sink_name}})),
      brokers_up(scope_.gauge("log_capturer_kafka_brokers_up",
                              "Kafka brokers librdkafka is connected to (its statistics, every "
                              "5 s); 0 while none is reachable.",
                              {{"sink", sink_name}})),
      sink_name_(sink_name) {
  for (std::size_t i = 0; i < kKafkaErrorKindCount; ++i) {
    errors_[i] = &scope_.counter(
        "log_capturer_kafka_delivery_errors_total",
        "Messages whose delivery failed, by kind: record (refused for good: too large, invalid "
        "topic; dead-lettered), setup (authentication, authorization, unknown topic; the sink "
        "holds), transient (broker down, timeout; the batch is retried).",
        {{"sink", sink_name}, {"kind", std::string(to_string(static_cast<KafkaErrorKind>(i)))}});
  }
}

void KafkaSinkMetrics::set_brokers(const std::vector<std::pair<std::string, bool>>& brokers) {
  std::lock_guard lock(broker_mutex_);
  for (auto& [name, gauge] : broker_up_) gauge->set(0);
  for (const auto& [broker, up] : brokers) {
    auto found = broker_up_.find(broker);
    if (found == broker_up_.end()) {
      if (broker_up_.size() >= kMaxBrokerSeries) continue;
      found = broker_up_
                  .emplace(broker, &scope_.gauge("log_capturer_kafka_broker_up",
                                                 "1 while librdkafka's statistics (every 5 s) say "
                                                 "the broker is up, else 0.",
                                                 {{"sink", sink_name_}, {"broker", broker}}))
                  .first;
    }
    found->second->set(up ? 1 : 0);
  }
}

}  // namespace lc
