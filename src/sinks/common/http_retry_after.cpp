#include "sinks/common/http_retry_after.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <ctime>
#include <string>

namespace lc {
namespace {

// A day is far beyond any wait a caller honours; the cap keeps the products from overflowing.
constexpr std::uint64_t kMaxSeconds = 86'400;

}  // namespace

std::optional<std::chrono::milliseconds> parse_retry_after(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (value.front() >= '0' && value.front() <= '9') {
    std::uint64_t seconds = 0;
    const auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (error != std::errc() || end != value.data() + value.size()) return std::nullopt;
    return std::chrono::seconds(std::min<std::uint64_t>(seconds, kMaxSeconds));
  }
  // IMF-fixdate, the form RFC 9110 requires senders to use.
  std::tm date{};
  const std::string text(value);
  const char* end = ::strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &date);
  if (end == nullptr || *end != '\0') return std::nullopt;
  // In whole seconds of time_t: a far-future date must not overflow the clock's nanoseconds.
  const std::time_t at = ::timegm(&date);
  const std::time_t from = std::chrono::system_clock::to_time_t(now);
  if (at <= from) return std::chrono::milliseconds(0);
  return std::chrono::seconds(
      std::min<std::uint64_t>(static_cast<std::uint64_t>(at - from), kMaxSeconds));
}

}  // namespace lc
