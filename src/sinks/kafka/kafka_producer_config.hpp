#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>
#include <string>

#include "config/config_value_checks.hpp"
#include "sinks/kafka/kafka_sink_options.hpp"

namespace lc {

struct KafkaConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};
using KafkaConf = std::unique_ptr<rd_kafka_conf_t, KafkaConfDeleter>;

// The producer's librdkafka configuration from the sink's options: ours first (acks,
// idempotence, compression, TLS, SASL, bounds), then the `librdkafka:` pass-through, each
// checked by librdkafka itself. Throws std::invalid_argument with librdkafka's reason.
// `queue_bytes`: the bound of librdkafka's own queue (a batch at most is ever in it).
KafkaConf make_kafka_producer_config(const KafkaSinkOptions& options, std::uint64_t queue_bytes);

// For --check-config: the reason make_kafka_producer_config would throw, if any.
ValueProblem check_kafka_producer_config(const KafkaSinkOptions& options);

}  // namespace lc
