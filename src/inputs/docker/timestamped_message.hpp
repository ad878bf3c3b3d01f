#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "core/timestamp.hpp"

namespace lc::docker_input {

// The longest timestamp dockerd can put before a message: "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+hh:mm".
inline constexpr std::size_t kMaxTimestampBytes = 35;

// One log message as the Engine API writes it with timestamps=1: "<RFC 3339 nano> <content>".
struct TimestampedMessage {
  TimestampNs time = 0;
  std::string_view content;  // everything after the separating space, newline included
};

// Parses the timestamp in front of each message. Consecutive messages nearly always share
// the same second, so the parsed "YYYY-MM-DDTHH:MM:SS" is cached and only the fraction is read.
class TimestampPrefixParser {
 public:
  // nullopt unless `message` starts with a valid timestamp followed by a space.
  std::optional<TimestampedMessage> split(std::string_view message);

  // Parses a whole timestamp (no trailing space); same result as lc::parse_rfc3339.
  std::optional<TimestampNs> parse(std::string_view timestamp);

 private:
  static constexpr std::size_t kSecondsPrefixBytes = 19;  // "YYYY-MM-DDTHH:MM:SS"

  bool cache_valid_ = false;
  char cached_prefix_[kSecondsPrefixBytes] = {};
  TimestampNs cached_seconds_ns_ = 0;
};

}  // namespace lc::docker_input
