#include "inputs/docker/timestamped_message.hpp"

#include <algorithm>
#include <cstring>

namespace lc::docker_input {
namespace {

// Docker's fixed form "YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ": the only one the cache serves.
constexpr std::size_t kDockerTimestampBytes = 30;

// Reads the nine fraction digits of the fixed form; false if any is not a digit.
bool read_nano_fraction(const char* digits, TimestampNs& fraction) {
  fraction = 0;
  for (int i = 0; i < 9; ++i) {
    const unsigned digit = static_cast<unsigned char>(digits[i]) - '0';
    if (digit > 9) return false;
    fraction = fraction * 10 + digit;
  }
  return true;
}

// Nanoseconds since 1970 in an int64 reach from 1677-09-21 to 2262-04-11. lc::parse_rfc3339
// overflows (undefined behaviour) outside, so such years are refused before it runs.
bool year_fits_in_nanoseconds(std::string_view timestamp) {
  if (timestamp.size() < 4) return true;  // too short to parse anyway
  unsigned year = 0;
  for (int i = 0; i < 4; ++i) {
    const unsigned digit = static_cast<unsigned char>(timestamp[i]) - '0';
    if (digit > 9) return true;  // parse_rfc3339 rejects it
    year = year * 10 + digit;
  }
  return year >= 1678 && year <= 2261;
}

bool is_fixed_docker_form(std::string_view timestamp) {
  return timestamp.size() == kDockerTimestampBytes && timestamp[19] == '.' && timestamp[29] == 'Z';
}

}  // namespace

std::optional<TimestampNs> TimestampPrefixParser::parse(std::string_view timestamp) {
  TimestampNs fraction = 0;
  const bool fixed_form =
      is_fixed_docker_form(timestamp) && read_nano_fraction(timestamp.data() + 20, fraction);
  if (fixed_form && cache_valid_ &&
      std::memcmp(timestamp.data(), cached_prefix_, kSecondsPrefixBytes) == 0) {
    return cached_seconds_ns_ + fraction;
  }
  if (!year_fits_in_nanoseconds(timestamp)) return std::nullopt;
  const std::optional<TimestampNs> parsed = parse_rfc3339(timestamp);
  if (parsed && fixed_form) {
    std::memcpy(cached_prefix_, timestamp.data(), kSecondsPrefixBytes);
    cached_seconds_ns_ = *parsed - fraction;
    cache_valid_ = true;
  }
  return parsed;
}

std::optional<TimestampedMessage> TimestampPrefixParser::split(std::string_view message) {
  std::size_t space = kDockerTimestampBytes;
  if (message.size() <= space || message[space] != ' ') {
    const std::size_t window = std::min(message.size(), kMaxTimestampBytes + 1);
    const void* found = std::memchr(message.data(), ' ', window);
    if (found == nullptr) return std::nullopt;
    space = static_cast<std::size_t>(static_cast<const char*>(found) - message.data());
  }
  const std::optional<TimestampNs> time = parse(message.substr(0, space));
  if (!time) return std::nullopt;
  return TimestampedMessage{*time, message.substr(space + 1)};
}

}  // namespace lc::docker_input
