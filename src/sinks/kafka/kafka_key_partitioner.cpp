#include "sinks/kafka/kafka_key_partitioner.hpp"

#include <zlib.h>

#include <array>
#include <cstring>
#include <string>

namespace lc {

std::int32_t kafka_key_partition(const rd_kafka_topic_t* topic, const void* key,
                                 std::size_t key_size, std::int32_t partitions, void* topic_opaque,
                                 void* message_opaque) {
  if (key == nullptr || key_size == 0) {
    return rd_kafka_msg_partitioner_random(topic, key, key_size, partitions, topic_opaque,
                                           message_opaque);
  }
  // librdkafka may call it from the producing thread or from its own: one memo per thread.
  thread_local std::string last_key;
  thread_local std::uint32_t last_crc = 0;
  const auto* bytes = static_cast<const char*>(key);
  if (last_key.size() != key_size || std::memcmp(last_key.data(), bytes, key_size) != 0) {
    last_key.assign(bytes, key_size);
    last_crc = static_cast<std::uint32_t>(
        ::crc32_z(0, reinterpret_cast<const Bytef*>(bytes), static_cast<z_size_t>(key_size)));
  }
  return static_cast<std::int32_t>(last_crc % static_cast<std::uint32_t>(partitions));
}

void use_kafka_key_partitioner(rd_kafka_conf_t* conf) {
  rd_kafka_topic_conf_t* topics = rd_kafka_conf_get_default_topic_conf(conf);
  if (topics == nullptr) return;
  std::array<char, 64> named{};
  std::size_t size = named.size();
  if (rd_kafka_topic_conf_get(topics, "partitioner", named.data(), &size) == RD_KAFKA_CONF_OK &&
      std::strcmp(named.data(), "consistent_random") != 0) {
    return;  // another one asked for
  }
  rd_kafka_topic_conf_set_partitioner_cb(topics, &kafka_key_partition);
}

}  // namespace lc
