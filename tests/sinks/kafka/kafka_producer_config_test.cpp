#include "sinks/kafka/kafka_producer_config.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <array>
#include <string>

namespace lc {
namespace {

std::string get(const KafkaConf& conf, const char* name) {
  std::array<char, 512> value{};
  std::size_t size = value.size();
  if (rd_kafka_conf_get(conf.get(), name, value.data(), &size) != RD_KAFKA_CONF_OK) return "?";
  return value.data();
}

TEST(KafkaProducerConfig, TheDefaultsAreTheSafeOnes) {
  KafkaSinkOptions options;
  options.brokers = "k1:9092,k2:9092";
  const KafkaConf conf = make_kafka_producer_config(options, 4 << 20);
  EXPECT_EQ(get(conf, "bootstrap.servers"), "k1:9092,k2:9092");
  EXPECT_EQ(get(conf, "enable.idempotence"), "true");
  EXPECT_EQ(get(conf, "compression.codec"), "zstd");
  EXPECT_EQ(get(conf, "security.protocol"), "plaintext");
  EXPECT_EQ(get(conf, "queue.buffering.max.kbytes"), "8192");  // twice the batch bound
}

TEST(KafkaProducerConfig, TlsAndSaslReachLibrdkafka) {
  KafkaSinkOptions options;
  options.brokers = "k:9093";
  options.tls = true;
  options.tls_options.ca_file = "/etc/ssl/kafka-ca.pem";
  options.sasl_mechanism = KafkaSinkOptions::SaslMechanism::kScramSha512;
  options.sasl_username = "agent";
  options.sasl_password = "s3cret";
  const KafkaConf conf = make_kafka_producer_config(options, 1 << 20);
  EXPECT_EQ(get(conf, "security.protocol"), "sasl_ssl");
  EXPECT_EQ(get(conf, "sasl.mechanisms"), "SCRAM-SHA-512");
  EXPECT_EQ(get(conf, "sasl.username"), "agent");
  EXPECT_EQ(get(conf, "ssl.ca.location"), "/etc/ssl/kafka-ca.pem");
  EXPECT_EQ(get(conf, "enable.ssl.certificate.verification"), "true");
}

TEST(KafkaProducerConfig, APropertyLibrdkafkaRefusesIsNamedWithItsReasonButNoSecret) {
  KafkaSinkOptions options;
  options.brokers = "k:9092";
  options.librdkafka = {{"no.such.property", "1"}};
  EXPECT_THAT(check_kafka_producer_config(options).value_or(""),
              ::testing::HasSubstr("librdkafka refused no.such.property: No such configuration "
                                   "property"));
  options.librdkafka = {{"enable.idempotence", "false"}};
  EXPECT_THAT(check_kafka_producer_config(options).value_or(""),
              ::testing::HasSubstr("enable.idempotence is set by the sink itself"));
  // A value passed through is never shown: a mistyped property may hold a secret.
  options.librdkafka = {{"sasl.pasword", "hunter2"}};
  const std::string problem = check_kafka_producer_config(options).value_or("");
  EXPECT_THAT(problem, ::testing::HasSubstr("librdkafka refused sasl.pasword"));
  EXPECT_THAT(problem, ::testing::Not(::testing::HasSubstr("hunter2")));
}

TEST(KafkaTopicName, KafkasRulesAreChecked) {
  EXPECT_FALSE(check_kafka_topic_name("logs-shop_1.v2"));
  EXPECT_TRUE(check_kafka_topic_name(""));
  EXPECT_TRUE(check_kafka_topic_name(".."));
  EXPECT_TRUE(check_kafka_topic_name("logs/shop"));
  EXPECT_TRUE(check_kafka_topic_name(std::string(250, 'a')));
  EXPECT_FALSE(check_kafka_topic_name(std::string(249, 'a')));
}

}  // namespace
}  // namespace lc
