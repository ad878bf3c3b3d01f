#include "sinks/kafka/kafka_producer_config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string_view>

namespace lc {
namespace {

// Properties the sink sets itself from its own keys, or on which its delivery accounting
// depends (a report for every message, a bounded queue): not to be passed through.
constexpr std::array<std::string_view, 16> kOwnedProperties{"bootstrap.servers",
                                                            "metadata.broker.list",
                                                            "acks",
                                                            "request.required.acks",
                                                            "enable.idempotence",
                                                            "compression.codec",
                                                            "compression.type",
                                                            "message.timeout.ms",
                                                            "delivery.timeout.ms",
                                                            "linger.ms",
                                                            "queue.buffering.max.ms",
                                                            "queue.buffering.max.kbytes",
                                                            "message.max.bytes",
                                                            "delivery.report.only.error",
                                                            "statistics.interval.ms",
                                                            "security.protocol"};

// `show_value`: the sink's own keys; values passed through are never shown (a mistyped
// property may hold a password).
void set(rd_kafka_conf_t* conf, const std::string& name, const std::string& value,
         bool show_value = true) {
  std::array<char, 512> error{};
  if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error.data(), error.size()) !=
      RD_KAFKA_CONF_OK) {
    throw std::invalid_argument(
        show_value ? fmt::format("librdkafka refused {}={}: {}", name, value, error.data())
                   : fmt::format("librdkafka refused {}: {}", name, error.data()));
  }
}

}  // namespace

KafkaConf make_kafka_producer_config(const KafkaSinkOptions& options, std::uint64_t queue_bytes) {
  KafkaConf conf(rd_kafka_conf_new());
  rd_kafka_conf_t* c = conf.get();
  set(c, "bootstrap.servers", options.brokers);
  set(c, "acks", to_librdkafka(options.acks));
  set(c, "enable.idempotence", options.idempotence ? "true" : "false");
  set(c, "compression.codec", to_librdkafka(options.compression));
  set(c, "linger.ms", std::to_string(options.linger.count()));
  set(c, "message.max.bytes", std::to_string(options.max_message_bytes));
  set(c, "message.timeout.ms", std::to_string(options.delivery_timeout.count()));
  // A batch at most is ever queued (write() waits for its reports): bounded by the batch.
  const std::uint64_t queue_kib = std::max<std::uint64_t>(
      1024, (std::max<std::uint64_t>(queue_bytes, options.max_message_bytes) * 2) / 1024);
  set(c, "queue.buffering.max.kbytes",
      std::to_string(std::min<std::uint64_t>(queue_kib, 2'097'151)));
  const bool sasl = options.sasl_mechanism != KafkaSinkOptions::SaslMechanism::kNone;
  const bool tls =
      options.tls || !options.tls_options.ca_file.empty() || !options.tls_options.cert_file.empty();
  set(c, "security.protocol",
      tls ? (sasl ? "sasl_ssl" : "ssl") : (sasl ? "sasl_plaintext" : "plaintext"));
  if (tls) {
    set(c, "enable.ssl.certificate.verification", options.tls_options.verify ? "true" : "false");
    set(c, "ssl.endpoint.identification.algorithm", options.tls_options.verify ? "https" : "none");
    if (!options.tls_options.ca_file.empty()) {
      set(c, "ssl.ca.location", options.tls_options.ca_file);
    }
    if (!options.tls_options.cert_file.empty()) {
      set(c, "ssl.certificate.location", options.tls_options.cert_file);
      set(c, "ssl.key.location", options.tls_options.key_file);
    }
  }
  if (sasl) {
    set(c, "sasl.mechanisms", to_librdkafka(options.sasl_mechanism));
    set(c, "sasl.username", options.sasl_username);
    set(c, "sasl.password", options.sasl_password, /*show_value=*/false);
  }
  for (const auto& [name, value] : options.librdkafka) {
    if (std::find(kOwnedProperties.begin(), kOwnedProperties.end(), name) !=
        kOwnedProperties.end()) {
      throw std::invalid_argument(fmt::format(
          "{} is set by the sink itself (from its own keys, or for its delivery accounting)",
          name));
    }
    set(c, name, value, /*show_value=*/false);
  }
  return conf;
}

ValueProblem check_kafka_producer_config(const KafkaSinkOptions& options) {
  try {
    make_kafka_producer_config(options, 0);
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

}  // namespace lc
