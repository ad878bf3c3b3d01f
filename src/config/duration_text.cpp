#include "config/duration_text.hpp"

#include <array>
#include <charconv>
#include <cstdint>
#include <limits>

namespace lc {
namespace {

struct DurationUnit {
  std::string_view suffix;
  std::int64_t milliseconds;
};

// Longest suffix first so "ms" is not read as "m" followed by garbage.
constexpr std::array<DurationUnit, 4> kDurationUnits{{
    {"ms", 1},
    {"h", 3'600'000},
    {"m", 60'000},
    {"s", 1'000},
}};

std::optional<std::int64_t> parse_digits(std::string_view& text) {
  std::int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end == text.data() || value < 0) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

}  // namespace

std::optional<Duration> parse_duration(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;
  std::string_view rest = text;
  auto first = parse_digits(rest);
  if (!first) return std::nullopt;
  if (rest.empty()) return Duration{*first};  // bare integer: milliseconds

  std::int64_t total = 0;
  std::optional<std::int64_t> number = first;
  while (true) {
    const DurationUnit* unit = nullptr;
    for (const auto& candidate : kDurationUnits) {
      if (rest.starts_with(candidate.suffix)) {
        unit = &candidate;
        break;
      }
    }
    if (unit == nullptr) return std::nullopt;
    rest.remove_prefix(unit->suffix.size());
    constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
    if (*number > (kMax - total) / unit->milliseconds) return std::nullopt;
    total += *number * unit->milliseconds;
    if (rest.empty()) return Duration{total};
    if (rest.front() < '0' || rest.front() > '9') return std::nullopt;
    number = parse_digits(rest);
    if (!number || rest.empty()) return std::nullopt;  // "1m30" lacks its unit
  }
}

std::string format_duration(Duration duration) {
  std::int64_t remaining = duration.count();
  if (remaining <= 0) return std::to_string(remaining) + "ms";
  std::string text;
  // Units from largest to smallest, each used only when it divides what is left exactly.
  constexpr std::array<DurationUnit, 4> kDescending{{
      {"h", 3'600'000},
      {"m", 60'000},
      {"s", 1'000},
      {"ms", 1},
  }};
  for (const auto& unit : kDescending) {
    const std::int64_t count = remaining / unit.milliseconds;
    if (count == 0) continue;
    text += std::to_string(count);
    text += unit.suffix;
    remaining -= count * unit.milliseconds;
  }
  return text;
}

}  // namespace lc
