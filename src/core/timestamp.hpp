#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace lc {

// Nanoseconds since the Unix epoch, UTC. Docker's timestamps carry nanoseconds.
using TimestampNs = std::int64_t;

// Parses RFC 3339 as Docker writes it ("2026-11-23T05:47:31.612303924Z"), also with
// fewer fraction digits or a numeric offset ("+02:00"). nullopt when malformed.
std::optional<TimestampNs> parse_rfc3339(std::string_view text);

// Formats with exactly nine fraction digits and a "Z": the form Docker uses.
std::string format_rfc3339_nano(TimestampNs time);
// Appends the same form to out without a temporary string (hot path).
void append_rfc3339_nano(std::string& out, TimestampNs time);

// parse_rfc3339 for a stream of timestamps that mostly share their second (log lines): the
// date and time of day are converted once per second, then only the fraction is read. Same
// results as parse_rfc3339. One per thread (it remembers the last second).
class Rfc3339Parser {
 public:
  std::optional<TimestampNs> parse(std::string_view text);

 private:
  char prefix_[19] = {};  // "YYYY-MM-DDTHH:MM:SS" of the cached second
  TimestampNs second_ns_ = 0;
  bool cached_ = false;
};

// The "seconds.nanoseconds" form of the Engine API's since= and until= parameters.
std::string format_docker_since(TimestampNs time);

TimestampNs now_ns();

}  // namespace lc
