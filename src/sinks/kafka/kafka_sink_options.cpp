#include "sinks/kafka/kafka_sink_options.hpp"

#include <fmt/format.h>

#include <array>

#include "config/tls_client_reader.hpp"
#include "config/yaml_section.hpp"
#include "sinks/kafka/kafka_producer_config.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<KafkaSinkOptions::Acks>, 3> kAcksChoices{{
    {"all", KafkaSinkOptions::Acks::kAll},
    {"leader", KafkaSinkOptions::Acks::kLeader},
    {"none", KafkaSinkOptions::Acks::kNone},
}};

constexpr std::array<EnumChoice<KafkaSinkOptions::Compression>, 5> kKafkaCompressionChoices{{
    {"zstd", KafkaSinkOptions::Compression::kZstd},
    {"lz4", KafkaSinkOptions::Compression::kLz4},
    {"snappy", KafkaSinkOptions::Compression::kSnappy},
    {"gzip", KafkaSinkOptions::Compression::kGzip},
    {"none", KafkaSinkOptions::Compression::kNone},
}};

constexpr std::array<EnumChoice<KafkaSinkOptions::Encoding>, 2> kKafkaEncodingChoices{{
    {"json", KafkaSinkOptions::Encoding::kJson},
    {"raw", KafkaSinkOptions::Encoding::kRaw},
}};

constexpr std::array<EnumChoice<KafkaSinkOptions::SaslMechanism>, 4> kSaslChoices{{
    {"none", KafkaSinkOptions::SaslMechanism::kNone},
    {"PLAIN", KafkaSinkOptions::SaslMechanism::kPlain},
    {"SCRAM-SHA-256", KafkaSinkOptions::SaslMechanism::kScramSha256},
    {"SCRAM-SHA-512", KafkaSinkOptions::SaslMechanism::kScramSha512},
}};

ValueProblem check_brokers(std::string_view text) {
  if (text.empty()) return "list at least one broker, host:port (comma-separated for several)";
  return std::nullopt;
}

}  // namespace

ValueProblem check_kafka_topic_name(std::string_view name) {
  if (name.empty()) return "the topic name is empty";
  if (name.size() > 249)
    return fmt::format("the topic name is {} bytes long (at most 249)", name.size());
  if (name == "." || name == "..") return "a topic cannot be named '.' or '..'";
  for (const char c : name) {
    const bool legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!legal) {
      return fmt::format("{} is not a valid topic name (letters, digits, '.', '_', '-')",
                         quote_for_message(name));
    }
  }
  return std::nullopt;
}

ValueProblem check_kafka_template(std::string_view text) {
  RecordTemplate ignored;
  return RecordTemplate::parse(text, ignored);
}

const char* to_librdkafka(KafkaSinkOptions::Acks acks) {
  switch (acks) {
    case KafkaSinkOptions::Acks::kAll:
      return "all";
    case KafkaSinkOptions::Acks::kLeader:
      return "1";
    case KafkaSinkOptions::Acks::kNone:
      return "0";
  }
  return "all";
}

const char* to_librdkafka(KafkaSinkOptions::Compression compression) {
  switch (compression) {
    case KafkaSinkOptions::Compression::kZstd:
      return "zstd";
    case KafkaSinkOptions::Compression::kLz4:
      return "lz4";
    case KafkaSinkOptions::Compression::kSnappy:
      return "snappy";
    case KafkaSinkOptions::Compression::kGzip:
      return "gzip";
    case KafkaSinkOptions::Compression::kNone:
      return "none";
  }
  return "none";
}

const char* to_librdkafka(KafkaSinkOptions::SaslMechanism mechanism) {
  switch (mechanism) {
    case KafkaSinkOptions::SaslMechanism::kPlain:
      return "PLAIN";
    case KafkaSinkOptions::SaslMechanism::kScramSha256:
      return "SCRAM-SHA-256";
    case KafkaSinkOptions::SaslMechanism::kScramSha512:
      return "SCRAM-SHA-512";
    case KafkaSinkOptions::SaslMechanism::kNone:
      break;
  }
  return "";
}

void read_kafka_sink_options(YamlSection& section, KafkaSinkOptions& kafka) {
  section.read_string({"brokers", "Bootstrap brokers, `host:port`, comma-separated.", "required"},
                      kafka.brokers, check_brokers);
  section.read_string(
      {"topic",
       "Topic of each record: a template ([docs/fields.md](fields.md)), e.g. "
       "`logs-{{ .compose_project }}`. A record whose topic renders to an invalid name goes to "
       "the dead letters with the reason."},
      kafka.topic, check_kafka_template);
  section.read_string(
      {"key",
       "Message key, a template. The default keeps one container's lines in one partition, in "
       "order. Rendering to nothing sends no key."},
      kafka.key, check_kafka_template);
  section.read_enum<KafkaSinkOptions::Acks>(
      {"acks",
       "`all`: every in-sync replica has the record (with `idempotence`, the default); "
       "`leader`; `none` (nothing is acknowledged: records count as delivered once sent)."},
      kafka.acks, kAcksChoices);
  section.read_bool({"idempotence",
                     "librdkafka's idempotent producer: its retries neither repeat nor reorder "
                     "records. Needs `acks: all`."},
                    kafka.idempotence);
  section.read_enum<KafkaSinkOptions::Compression>(
      {"compression", "`zstd`, `lz4`, `snappy`, `gzip` or `none`."}, kafka.compression,
      kKafkaCompressionChoices);
  section.read_duration({"linger", "How long librdkafka waits to fill a message set."},
                        kafka.linger, std::chrono::milliseconds{0});
  section.read_byte_size(
      {"max_message_bytes",
       "Largest message (librdkafka's `message.max.bytes`); a record encoded larger goes to the "
       "dead letters. Keep it at or below the brokers' own limit."},
      kafka.max_message_bytes, 1000);
  section.read_duration(
      {"delivery_timeout",
       "How long librdkafka tries to deliver a message (its `message.timeout.ms`); after that "
       "the sink counts the failure and sends the message again (records are never dropped "
       "for it)."},
      kafka.delivery_timeout, std::chrono::milliseconds{1000});
  section.read_enum<KafkaSinkOptions::Encoding>(
      {"encoding",
       "`json`: the record as the file store writes it (one JSON object); `raw`: the message "
       "only."},
      kafka.encoding, kKafkaEncodingChoices);
  section.read_string_map(
      {"headers", "Message headers, `name: template`, e.g. `{host: \"{{ .host }}\"}`."},
      kafka.headers, {}, check_kafka_template);
  section.read_bool({"tls", "Connect with TLS (`security.protocol` `ssl` or `sasl_ssl`)."},
                    kafka.tls);
  read_tls_client_options(section, kafka.tls_options);
  section.read_enum<KafkaSinkOptions::SaslMechanism>(
      {"sasl_mechanism", "`none`, `PLAIN`, `SCRAM-SHA-256` or `SCRAM-SHA-512`."},
      kafka.sasl_mechanism, kSaslChoices);
  section.read_string({"sasl_username", "SASL user name."}, kafka.sasl_username);
  section.read_secret({"sasl_password", "SASL password (or `sasl_password_file`)."},
                      kafka.sasl_password);
  section.read_string_map(
      {"librdkafka",
       "Any other librdkafka producer property (`{\"socket.keepalive.enable\": \"true\"}`), "
       "checked by librdkafka when the configuration is read."},
      kafka.librdkafka);
  if (kafka.brokers.empty() && !section.cataloguing() && !section.failed("brokers")) {
    section.fail("brokers", "is required: the bootstrap brokers, host:port (comma-separated)");
  }
  if (kafka.tls_options.cert_file.empty() != kafka.tls_options.key_file.empty()) {
    section.fail(kafka.tls_options.cert_file.empty() ? "key_file" : "cert_file",
                 "cert_file and key_file go together (the client certificate and its key)");
  }
  if (kafka.idempotence && kafka.acks != KafkaSinkOptions::Acks::kAll) {
    section.fail("idempotence", "needs acks: all (or set idempotence: false)");
  }
  if (kafka.linger >= kafka.delivery_timeout) {
    section.fail("linger", "must be shorter than delivery_timeout");
  }
  if (kafka.sasl_mechanism != KafkaSinkOptions::SaslMechanism::kNone &&
      kafka.sasl_username.empty()) {
    section.fail("sasl_username", "set it: the SASL mechanism needs a user name and password");
  }
  if (section.cataloguing() || section.failed("librdkafka") || section.failed("brokers")) return;
  if (const auto problem = check_kafka_producer_config(kafka)) section.fail("librdkafka", *problem);
}

}  // namespace lc
