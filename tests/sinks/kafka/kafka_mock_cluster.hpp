#pragma once

#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

#include <array>
#include <chrono>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace lc::testing {

// librdkafka's mock Kafka cluster (brokers on loopback speaking the real protocol, with error
// injection), and a consumer that reads back what reached it.
class KafkaMockCluster {
 public:
  struct Message {
    std::string topic;
    std::string key;
    std::string value;
    std::map<std::string, std::string> headers;
    std::int32_t partition = -1;
  };

  explicit KafkaMockCluster(int brokers = 1) {
    std::array<char, 256> error{};
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    rd_kafka_conf_set(conf, "log_level", "0", error.data(), error.size());  // no bootstrap: fine
    host_ = rd_kafka_new(RD_KAFKA_PRODUCER, conf, error.data(), error.size());
    if (host_ == nullptr) throw std::runtime_error(error.data());
    cluster_ = rd_kafka_mock_cluster_new(host_, brokers);
    if (cluster_ == nullptr) throw std::runtime_error("cannot start the mock cluster");
  }
  ~KafkaMockCluster() {
    if (consumer_ != nullptr) {
      rd_kafka_consumer_close(consumer_);
      rd_kafka_destroy(consumer_);
    }
    rd_kafka_mock_cluster_destroy(cluster_);
    rd_kafka_destroy(host_);
  }
  KafkaMockCluster(const KafkaMockCluster&) = delete;
  KafkaMockCluster& operator=(const KafkaMockCluster&) = delete;

  std::string bootstraps() const { return rd_kafka_mock_cluster_bootstraps(cluster_); }
  rd_kafka_mock_cluster_t* cluster() { return cluster_; }
  void create_topic(const std::string& topic, int partitions = 3) {
    rd_kafka_mock_topic_create(cluster_, topic.c_str(), partitions, 1);
    partitions_[topic] = partitions;
  }

  // The messages that came since the last call, waiting up to `limit` for the first.
  std::vector<Message> take(const std::vector<std::string>& topics,
                            std::chrono::milliseconds limit) {
    if (consumer_ == nullptr) open_consumer(topics);
    std::vector<Message> taken;
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (std::chrono::steady_clock::now() < deadline) {
      rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, taken.empty() ? 50 : 0);
      if (message == nullptr) {
        if (!taken.empty()) break;
        continue;
      }
      if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) taken.push_back(read(message));
      rd_kafka_message_destroy(message);
    }
    return taken;
  }

  // Every message of `topics` from the start, until `count` came or `limit` passed.
  std::vector<Message> consume(const std::vector<std::string>& topics, std::size_t count,
                               std::chrono::milliseconds limit = std::chrono::seconds(10)) {
    if (consumer_ == nullptr) open_consumer(topics);
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (consumed_.size() < count && std::chrono::steady_clock::now() < deadline) {
      rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer_, 100);
      if (message == nullptr) continue;
      if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) consumed_.push_back(read(message));
      rd_kafka_message_destroy(message);
    }
    return consumed_;
  }

 private:
  // Reads every partition of `topics` from the start: assigned, not subscribed (a consumer
  // group's join would take seconds).
  void open_consumer(const std::vector<std::string>& topics) {
    std::array<char, 256> error{};
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    const std::string servers = bootstraps();
    for (const auto& [name, value] :
         std::map<std::string, std::string>{{"bootstrap.servers", servers},
                                            {"group.id", "lc-test"},
                                            {"enable.partition.eof", "false"},
                                            // Back on a broker that returns within ~100 ms, and
                                            // no fetch held long: what reached a broker is read
                                            // soon (kill_restart_test counts on it).
                                            {"reconnect.backoff.ms", "10"},
                                            {"reconnect.backoff.max.ms", "100"},
                                            {"fetch.wait.max.ms", "20"},
                                            {"fetch.error.backoff.ms", "20"},
                                            {"log_level", "3"}}) {
      rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error.data(), error.size());
    }
    consumer_ = rd_kafka_new(RD_KAFKA_CONSUMER, conf, error.data(), error.size());
    if (consumer_ == nullptr) throw std::runtime_error(error.data());
    rd_kafka_poll_set_consumer(consumer_);
    rd_kafka_topic_partition_list_t* list = rd_kafka_topic_partition_list_new(8);
    for (const std::string& topic : topics) {
      const auto known = partitions_.find(topic);
      const int count = known == partitions_.end() ? 1 : known->second;
      for (int partition = 0; partition < count; ++partition) {
        rd_kafka_topic_partition_list_add(list, topic.c_str(), partition)->offset =
            RD_KAFKA_OFFSET_BEGINNING;
      }
    }
    rd_kafka_assign(consumer_, list);
    rd_kafka_topic_partition_list_destroy(list);
  }

  static Message read(const rd_kafka_message_t* message) {
    Message read;
    read.topic = rd_kafka_topic_name(message->rkt);
    read.partition = message->partition;
    if (message->key != nullptr) {
      read.key.assign(static_cast<const char*>(message->key), message->key_len);
    }
    read.value.assign(static_cast<const char*>(message->payload), message->len);
    rd_kafka_headers_t* headers = nullptr;
    if (rd_kafka_message_headers(message, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR) {
      const char* name = nullptr;
      const void* value = nullptr;
      std::size_t size = 0;
      for (std::size_t i = 0;
           rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
           ++i) {
        read.headers[name] = std::string(static_cast<const char*>(value), size);
      }
    }
    return read;
  }

  rd_kafka_t* host_ = nullptr;
  rd_kafka_mock_cluster_t* cluster_ = nullptr;
  rd_kafka_t* consumer_ = nullptr;
  std::vector<Message> consumed_;
  std::map<std::string, int> partitions_;  // of the topics created
};

}  // namespace lc::testing
