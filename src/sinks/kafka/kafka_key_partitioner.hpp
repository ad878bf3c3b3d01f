#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>

namespace lc {

// librdkafka's default partitioner, consistent_random (a key's CRC-32 modulo the partitions; a
// message without a key goes to a random partition), with the last key's CRC kept per thread:
// one container's records come in runs of the same key, and hashing each one again was 5 % of
// the agent's CPU with the Kafka sink. Same partitions as librdkafka's (tested).
std::int32_t kafka_key_partition(const rd_kafka_topic_t* topic, const void* key,
                                 std::size_t key_size, std::int32_t partitions, void* topic_opaque,
                                 void* message_opaque);

// Makes it the partitioner of `conf`'s default topic configuration (of every topic produced
// to), unless librdkafka properties named one (`partitioner`).
void use_kafka_key_partitioner(rd_kafka_conf_t* conf);

}  // namespace lc
