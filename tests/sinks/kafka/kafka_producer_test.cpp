#include "sinks/kafka/kafka_producer.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "metrics/metrics_registry.hpp"
#include "sinks/kafka/kafka_mock_cluster.hpp"
#include "sinks/kafka/kafka_sink_metrics.hpp"

namespace lc {
namespace {

// librdkafka's debug lines (the producer logs them at spdlog's debug level), kept while alive.
class LibrdkafkaLog {
 public:
  LibrdkafkaLog() : sink_(std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(5000)) {
    previous_level_ = spdlog::default_logger()->level();
    spdlog::default_logger()->sinks().push_back(sink_);
    spdlog::default_logger()->set_level(spdlog::level::debug);
  }
  ~LibrdkafkaLog() {
    spdlog::default_logger()->set_level(previous_level_);
    spdlog::default_logger()->sinks().pop_back();
  }
  LibrdkafkaLog(const LibrdkafkaLog&) = delete;
  LibrdkafkaLog& operator=(const LibrdkafkaLog&) = delete;

  bool has(const std::string& part) const {
    for (const std::string& line : sink_->last_formatted()) {
      if (line.find(part) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> sink_;
  spdlog::level::level_enum previous_level_;
};

class KafkaProducerTest : public ::testing::Test {
 protected:
  KafkaProducerTest() {
    cluster_.create_topic("logs");
    options_.brokers = cluster_.bootstraps();
  }

  testing::KafkaMockCluster cluster_{3};
  KafkaSinkOptions options_;
  MetricsRegistry registry_;
  KafkaSinkMetrics metrics_{registry_, "kafka"};
};

// Without it, librdkafka asks for a new topic's partitions only on its one-second timer after
// the first message to it: the first batch after every (re)start waited that long.
TEST_F(KafkaProducerTest, AKnownTopicIsLookedUpAtStartBeforeAnyMessage) {
  options_.librdkafka = {{"debug", "metadata"}};
  LibrdkafkaLog log;
  KafkaProducer producer("kafka", options_, 1 << 20, metrics_, nullptr);
  producer.start("logs");
  const std::string learnt = "Topic #0/1: logs with 3 partitions";  // in a metadata answer
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!log.has(learnt) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(log.has(learnt)) << "the topic's partitions were not asked for at start";
}

TEST_F(KafkaProducerTest, TopicHandlesAreKeptPerNameAndTheirNumberBounded) {
  KafkaProducer producer("kafka", options_, 1 << 20, metrics_, nullptr);
  producer.start("");
  rd_kafka_topic_t* logs = producer.topic("logs");
  ASSERT_NE(logs, nullptr);
  EXPECT_EQ(producer.topic("logs"), logs);  // kept: no lookup under librdkafka's lock
  // Templated topics: past the bound the handles are let go and taken again as needed.
  for (int i = 0; i < 1100; ++i) ASSERT_NE(producer.topic("t" + std::to_string(i)), nullptr);
  rd_kafka_topic_t* again = producer.topic("logs");
  ASSERT_NE(again, nullptr);
  EXPECT_STREQ(rd_kafka_topic_name(again), "logs");
}

}  // namespace
}  // namespace lc
