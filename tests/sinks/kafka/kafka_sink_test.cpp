#include "sinks/kafka/kafka_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/kafka/kafka_mock_cluster.hpp"
#include "sinks/loki/loki_test_records.hpp"

namespace lc {
namespace {

using testing::KafkaMockCluster;

class KafkaSinkTest : public ::testing::Test {
 protected:
  KafkaSinkTest() {
    cluster_.create_topic("logs");
    options_.brokers = cluster_.bootstraps();
    options_.linger = std::chrono::milliseconds(1);
    options_.delivery_timeout = std::chrono::milliseconds(2000);
  }
  ~KafkaSinkTest() override {
    if (sink_) sink_->stop(std::chrono::steady_clock::now() + std::chrono::seconds(2));
  }

  KafkaSink& sink() {
    if (!sink_) {
      sink_ = std::make_unique<KafkaSink>("kafka", options_, 4 * 1024 * 1024, registry_, "host-1",
                                          &health_);
      sink_->start();
    }
    return *sink_;
  }
  SinkWriteOutcome write(const std::vector<LogRecord>& batch) {
    std::optional<SinkWriteOutcome> outcome;
    boost::asio::co_spawn(
        io_,
        [&]() -> boost::asio::awaitable<void> {
          outcome = co_await sink().write(std::span<const LogRecord>(batch));
        },
        [](std::exception_ptr error) {
          if (error) std::rethrow_exception(error);
        });
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!outcome && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(std::chrono::milliseconds(10));
    }
    EXPECT_TRUE(outcome.has_value()) << "write() did not end";
    return outcome.value_or(SinkWriteOutcome::retry("did not end"));
  }
  // The series name{sink="kafka"<extra>} as /metrics shows it.
  std::int64_t counter(const std::string& name, const std::string& extra_labels = "") {
    const std::string rendered = registry_.render();
    const std::string series = name + "{sink=\"kafka\"" + extra_labels + "} ";
    const std::size_t at = rendered.find(series);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no series " << series;
      return -1;
    }
    return std::stoll(rendered.substr(at + series.size()));
  }

  KafkaMockCluster cluster_{3};
  KafkaSinkOptions options_;
  MetricsRegistry registry_;
  HealthRegistry health_;
  boost::asio::io_context io_;
  std::unique_ptr<KafkaSink> sink_;
  ContainerMetadataPtr web_ = testing::make_loki_test_container("web", "shop", "frontend");
  ContainerMetadataPtr db_ = testing::make_loki_test_container("db", "shop", "backend");
};

TEST_F(KafkaSinkTest, ABatchIsDeliveredWhenEveryRecordIsAcknowledgedKeyedByContainer) {
  options_.headers = {{"host", "{{ .host }}"}, {"stream", "{{ .stream }}"}};
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_, db_}, 50);
  EXPECT_TRUE(write(batch).ok());
  const auto messages = cluster_.consume({"logs"}, batch.size());
  ASSERT_EQ(messages.size(), batch.size());
  // One container's records keep their order (one key, one partition).
  std::map<std::string, std::vector<std::string>> by_key;
  for (const auto& message : messages) {
    by_key[message.key].push_back(message.value);
    EXPECT_EQ(message.headers.at("host"), "host-1");
    EXPECT_EQ(message.headers.at("stream"), "stdout");
  }
  ASSERT_EQ(by_key.size(), 2u);
  const std::vector<std::string>& web = by_key.at(web_->id);
  ASSERT_EQ(web.size(), 50u);
  for (std::size_t i = 0; i < web.size(); ++i) {
    // The record as the file store writes it, one JSON object without its newline.
    EXPECT_NE(web[i].find("\"message\":\"web line " + std::to_string(i) + "\""), std::string::npos)
        << web[i];
    EXPECT_EQ(web[i].front(), '{');
    EXPECT_EQ(web[i].back(), '}');
  }
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 100);
  EXPECT_EQ(counter("log_capturer_kafka_messages_in_flight"), 0);
}

// The agent computes librdkafka's default partitioner itself (kafka_key_partitioner); one named
// in the librdkafka properties is used instead.
TEST_F(KafkaSinkTest, AKeysPartitionIsLibrdkafkasDefaultOrThePartitionerNamed) {
  // Containers whose ids the two partitioners place apart: otherwise nothing is shown.
  ASSERT_NE(rd_kafka_msg_partitioner_consistent(nullptr, web_->id.data(), web_->id.size(), 3,
                                                nullptr, nullptr),
            rd_kafka_msg_partitioner_murmur2(nullptr, web_->id.data(), web_->id.size(), 3, nullptr,
                                             nullptr));
  cluster_.create_topic("murmur");
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_, db_}, 5);
  EXPECT_TRUE(write(batch).ok());
  sink_.reset();
  options_.topic = "murmur";
  options_.librdkafka = {{"partitioner", "murmur2_random"}};
  EXPECT_TRUE(write(batch).ok());
  const auto messages = cluster_.consume({"logs", "murmur"}, 2 * batch.size());
  ASSERT_EQ(messages.size(), 2 * batch.size());
  for (const auto& message : messages) {
    const auto partitioner = message.topic == "logs" ? rd_kafka_msg_partitioner_consistent
                                                     : rd_kafka_msg_partitioner_murmur2;
    EXPECT_EQ(message.partition,
              partitioner(nullptr, message.key.data(), message.key.size(), 3, nullptr, nullptr))
        << message.topic << " " << message.key;
  }
}

TEST_F(KafkaSinkTest, RecordsWithoutAKeyGoToAnyPartition) {
  options_.key = "";
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_, db_}, 10);
  EXPECT_TRUE(write(batch).ok());
  const auto messages = cluster_.consume({"logs"}, batch.size());
  ASSERT_EQ(messages.size(), batch.size());
  for (const auto& message : messages) {
    EXPECT_TRUE(message.key.empty());
    EXPECT_GE(message.partition, 0);
    EXPECT_LT(message.partition, 3);
  }
}

TEST_F(KafkaSinkTest, RawEncodingSendsTheMessageAndATopicTemplateChoosesTheTopic) {
  options_.encoding = KafkaSinkOptions::Encoding::kRaw;
  options_.topic = "logs-{{ .compose_service }}";
  cluster_.create_topic("logs-frontend");
  cluster_.create_topic("logs-backend");
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_, db_}, 3);
  EXPECT_TRUE(write(batch).ok());
  const auto messages = cluster_.consume({"logs-frontend", "logs-backend"}, batch.size());
  ASSERT_EQ(messages.size(), batch.size());
  for (const auto& message : messages) {
    const bool web = message.value.starts_with("web line ");
    EXPECT_EQ(message.topic, web ? "logs-frontend" : "logs-backend") << message.value;
  }
}

TEST_F(KafkaSinkTest, ARecordWhoseTopicIsInvalidOrThatIsTooLargeIsRefusedAlone) {
  options_.topic = "logs{{ .fields.suffix }}";
  options_.max_message_bytes = 2000;
  std::vector<LogRecord> batch = testing::make_loki_test_batch({web_}, 4);
  batch[1].fields.edit().set("suffix", "/bad topic");
  batch[3].message = std::string(5000, 'x');
  const SinkWriteOutcome outcome = write(batch);
  ASSERT_EQ(outcome.kind, SinkWriteOutcome::Kind::kRejected);
  EXPECT_EQ(outcome.refused_records, (std::vector<std::uint32_t>{1, 3}));
  EXPECT_NE(outcome.reason.find("topic"), std::string::npos) << outcome.reason;
  EXPECT_EQ(cluster_.consume({"logs"}, 2).size(), 2u);
  EXPECT_EQ(counter("log_capturer_kafka_delivery_errors_total", ",kind=\"record\""), 2);
}

TEST_F(KafkaSinkTest, ErrorsLibrdkafkaRetriesAreDeliveredOnceByTheIdempotentProducer) {
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_}, 20);
  rd_kafka_mock_push_request_errors(
      cluster_.cluster(), 0 /* Produce */, 3, RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
      RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
  EXPECT_TRUE(write(batch).ok());
  ASSERT_EQ(cluster_.consume({"logs"}, batch.size()).size(), batch.size());
  // None twice: nothing more comes.
  EXPECT_EQ(cluster_.consume({"logs"}, batch.size() + 1, std::chrono::seconds(2)).size(),
            batch.size());
}

TEST_F(KafkaSinkTest, BrokersDownMeanARetryOfTheWholeBatchNeverADeadLetter) {
  for (int broker = 1; broker <= 3; ++broker) {
    rd_kafka_mock_broker_set_down(cluster_.cluster(), broker);
  }
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_}, 5);
  const SinkWriteOutcome outcome = write(batch);
  EXPECT_EQ(outcome.kind, SinkWriteOutcome::Kind::kRetry) << outcome.reason;
  EXPECT_EQ(counter("log_capturer_kafka_delivery_errors_total", ",kind=\"transient\""), 5);
  // /health says why: no broker reachable.
  const auto unhealthy = health_.snapshot();
  ASSERT_TRUE(unhealthy.contains("sink.kafka.brokers"));
  EXPECT_FALSE(unhealthy.at("sink.kafka.brokers").healthy);
  EXPECT_THAT(unhealthy.at("sink.kafka.brokers").detail,
              ::testing::HasSubstr("no Kafka broker reachable"));
  for (int broker = 1; broker <= 3; ++broker) {
    rd_kafka_mock_broker_set_up(cluster_.cluster(), broker);
  }
  EXPECT_TRUE(write(batch).ok());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(8);
  while (!health_.all_healthy() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(health_.all_healthy());  // from librdkafka's next statistics
  EXPECT_EQ(cluster_.consume({"logs"}, batch.size()).size(), batch.size());
  // One series per broker of the cluster, from the same statistics; as many up as counted.
  std::istringstream rendered(registry_.render());
  int series = 0, up = 0;
  for (std::string line; std::getline(rendered, line);) {
    if (!line.starts_with("log_capturer_kafka_broker_up{sink=\"kafka\",broker=\"127.0.0.1:")) {
      continue;
    }
    ++series;
    if (line.ends_with(" 1")) ++up;
  }
  EXPECT_EQ(series, 3);
  EXPECT_GE(up, 1);
  EXPECT_EQ(up, counter("log_capturer_kafka_brokers_up"));
}

// One partition's produce request is refused (an error librdkafka does not retry); the other
// partitions' messages are acknowledged. The pipeline's retry of the batch produces only the
// refused ones: nothing is delivered twice. (Not by a broker taken down: a message timed out
// while in flight may have been written all the same, and is produced again.)
TEST_F(KafkaSinkTest, ARetriedBatchProducesOnlyWhatWasNotAcknowledged) {
  std::vector<ContainerMetadataPtr> containers;
  for (int i = 0; i < 12; ++i) {
    containers.push_back(testing::make_loki_test_container("app" + std::to_string(i)));
  }
  const std::vector<LogRecord> batch = testing::make_loki_test_batch(containers, 5);
  ASSERT_TRUE(write(testing::make_loki_test_batch({web_}, 1)).ok());  // connected
  rd_kafka_mock_push_request_errors(cluster_.cluster(), 0 /* Produce */, 1,
                                    RD_KAFKA_RESP_ERR_POLICY_VIOLATION);
  const SinkWriteOutcome failed = write(batch);
  EXPECT_EQ(failed.kind, SinkWriteOutcome::Kind::kRetry) << failed.reason;
  const std::int64_t delivered = counter("log_capturer_sink_records_written_total") - 1;
  EXPECT_GT(delivered, 0);  // the other partitions' requests
  EXPECT_LT(delivered, static_cast<std::int64_t>(batch.size()));
  // Those are named, so that retries running out would dead-letter only the others.
  EXPECT_EQ(static_cast<std::int64_t>(failed.delivered_records.size()), delivered);
  EXPECT_TRUE(write(batch).ok());  // the pipeline's retry: the same batch
  EXPECT_EQ(counter("log_capturer_kafka_records_retried_total"),
            static_cast<std::int64_t>(batch.size()) - delivered);
  ASSERT_EQ(cluster_.consume({"logs"}, batch.size() + 1).size(), batch.size() + 1);
  EXPECT_EQ(cluster_.consume({"logs"}, batch.size() + 2, std::chrono::seconds(1)).size(),
            batch.size() + 1);  // none twice
}

// librdkafka declares an idempotent producer failed for good on some broker answers: a new one
// takes over, and the batch is produced again.
TEST_F(KafkaSinkTest, AProducerFailedForGoodIsReplaced) {
  ASSERT_TRUE(write(testing::make_loki_test_batch({web_}, 1)).ok());
  rd_kafka_test_fatal_error(sink().librdkafka_handle(),
                            RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "injected by the test");
  const std::vector<LogRecord> batch = testing::make_loki_test_batch({web_, db_}, 3);
  SinkWriteOutcome outcome = write(batch);
  if (!outcome.ok()) outcome = write(batch);  // the pipeline's retry
  EXPECT_TRUE(outcome.ok()) << outcome.reason;
  EXPECT_EQ(cluster_.consume({"logs"}, batch.size() + 1).size(), batch.size() + 1);
}

TEST_F(KafkaSinkTest, AnUnauthorizedTopicHoldsTheSink) {
  // The brokers' ACLs refuse the produce requests.
  rd_kafka_mock_push_request_errors(
      cluster_.cluster(), 0 /* Produce */, 6, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED, RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED,
      RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED);
  const SinkWriteOutcome outcome = write(testing::make_loki_test_batch({web_}, 2));
  EXPECT_EQ(outcome.kind, SinkWriteOutcome::Kind::kHold) << outcome.reason;
  EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kAuth);
}

}  // namespace
}  // namespace lc
