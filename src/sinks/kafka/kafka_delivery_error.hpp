#pragma once

#include <librdkafka/rdkafka.h>

#include <cstddef>
#include <string_view>

namespace lc {

// What a failed delivery report (or a refused produce call) says, as the sinks classify
// failures: about the record, about the setup, or passing.
enum class KafkaErrorKind {
  kRecord,     // this record can never be taken (too large, invalid topic): dead-letter it
  kSetup,      // authentication, authorization, unknown topic: hold the sink, never dead-letter
  kTransient,  // broker down, leader change, timeout: produce it again
};
inline constexpr std::size_t kKafkaErrorKindCount = 3;

inline std::string_view to_string(KafkaErrorKind kind) {
  switch (kind) {
    case KafkaErrorKind::kRecord:
      return "record";
    case KafkaErrorKind::kSetup:
      return "setup";
    case KafkaErrorKind::kTransient:
      break;
  }
  return "transient";
}

KafkaErrorKind classify_kafka_error(rd_kafka_resp_err_t error);

}  // namespace lc
