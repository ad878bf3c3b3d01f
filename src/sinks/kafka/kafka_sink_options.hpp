#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config_value_checks.hpp"
#include "config/sink_spec.hpp"
#include "core/record_template.hpp"
#include "net/tls_client_options.hpp"

namespace lc {

class YamlSection;

// The Kafka sink's own keys (YAML: sinks.<name> with type: kafka; docs/configuration.md).
struct KafkaSinkOptions : OptionsOf<KafkaSinkOptions> {
  std::string brokers;                      // bootstrap.servers: "host:port,host:port"
  std::string topic = "logs";               // a template over the record
  std::string key = "{{ .container_id }}";  // a template; empty renders: no key
  enum class Acks { kAll, kLeader, kNone };
  Acks acks = Acks::kAll;
  bool idempotence = true;
  enum class Compression { kZstd, kLz4, kSnappy, kGzip, kNone };
  Compression compression = Compression::kZstd;
  std::chrono::milliseconds linger{5};
  std::uint32_t max_message_bytes = 1'000'000;  // message.max.bytes
  // How long librdkafka retries one message before it reports it failed (then the sink
  // counts it and sends it again).
  std::chrono::milliseconds delivery_timeout{30'000};
  // kJson: the record as the file store writes it; kRaw: the message only.
  enum class Encoding { kJson, kRaw };
  Encoding encoding = Encoding::kJson;
  // Message headers: name -> template.
  std::vector<std::pair<std::string, std::string>> headers;
  // TLS: off unless `tls: true` (or a TLS file is set); verification on by default.
  bool tls = false;
  net::TlsClientOptions tls_options;
  enum class SaslMechanism { kNone, kPlain, kScramSha256, kScramSha512 };
  SaslMechanism sasl_mechanism = SaslMechanism::kNone;
  std::string sasl_username;
  std::string sasl_password;
  // Any other librdkafka producer property, passed through and checked by librdkafka.
  std::vector<std::pair<std::string, std::string>> librdkafka;

  bool operator==(const KafkaSinkOptions&) const = default;
};

void read_kafka_sink_options(YamlSection& section, KafkaSinkOptions& options);

// A Kafka topic name: 1 to 249 of [a-zA-Z0-9._-], not "." or "..".
ValueProblem check_kafka_topic_name(std::string_view name);
// A topic or key template (docs/fields.md).
ValueProblem check_kafka_template(std::string_view text);

const char* to_librdkafka(KafkaSinkOptions::Acks acks);
const char* to_librdkafka(KafkaSinkOptions::Compression compression);
const char* to_librdkafka(KafkaSinkOptions::SaslMechanism mechanism);

}  // namespace lc
