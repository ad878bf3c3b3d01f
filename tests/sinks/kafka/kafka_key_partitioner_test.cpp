#include "sinks/kafka/kafka_key_partitioner.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lc {
namespace {

// A key goes where librdkafka's default partitioner would send it: a record keeps its
// partition (and its order after the records before it) whichever of the two placed it.
TEST(KafkaKeyPartitioner, SendsAKeyWhereLibrdkafkasDefaultWould) {
  const std::vector<std::string> keys = {
      "a", "web", "4f1b2c3d4e5f60718293a4b5c6d7e8f90112233445566778899aabbccddeeff0",
      std::string(300, 'k'), std::string("nul\0inside", 10)};
  for (const std::int32_t partitions : {1, 3, 6, 7, 64}) {
    for (int round = 0; round < 2; ++round) {  // the remembered key, then a different one
      for (const std::string& key : keys) {
        EXPECT_EQ(
            kafka_key_partition(nullptr, key.data(), key.size(), partitions, nullptr, nullptr),
            rd_kafka_msg_partitioner_consistent(nullptr, key.data(), key.size(), partitions,
                                                nullptr, nullptr))
            << key << " over " << partitions;
      }
    }
  }
}

}  // namespace
}  // namespace lc
