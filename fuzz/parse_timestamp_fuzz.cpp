// libFuzzer target for parse_timestamp's formats. The input is a format, a newline, then the
// text. Checks, beyond "no crash": a time read is after 1970 and within nanoseconds' range, and
// the RFC 3339 form of any time read is read back by `rfc3339` as the same time.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "core/timestamp.hpp"
#include "processors/parse_timestamp/timestamp_format.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  if (newline == std::string_view::npos) return 0;
  lc::TimestampFormat format;
  if (lc::TimestampFormat::compile(input.substr(0, newline), format)) return 0;
  static const lc::TimeZoneRule kUtc;
  static const lc::TimeZoneRule kBerlin = [] {
    lc::TimeZoneRule zone;
    lc::TimeZoneRule::parse("Europe/Berlin", zone);
    return zone;
  }();
  static lc::TimestampFormat rfc3339;
  static const bool compiled = !lc::TimestampFormat::compile("rfc3339", rfc3339);
  if (!compiled) std::abort();
  constexpr lc::TimestampNs kNow = 1'796'589'614'000'000'000;
  for (const lc::TimeZoneRule* zone : {&kUtc, &kBerlin}) {
    const auto time = format.parse(input.substr(newline + 1), *zone, kNow);
    if (!time) continue;
    if (*time <= 0) std::abort();
    if (rfc3339.parse(lc::format_rfc3339_nano(*time), kUtc, kNow) != time) std::abort();
  }
  return 0;
}
