#include "sinks/syslog/syslog_priority.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <utility>

#include "core/level_words.hpp"

namespace lc {
namespace {

constexpr std::array<std::pair<std::string_view, std::uint8_t>, 27> kFacilities{{
    {"kern", 0},      {"user", 1},          {"mail", 2},    {"daemon", 3},    {"auth", 4},
    {"syslog", 5},    {"lpr", 6},           {"news", 7},    {"uucp", 8},      {"cron", 9},
    {"authpriv", 10}, {"ftp", 11},          {"ntp", 12},    {"security", 13}, {"audit", 13},
    {"console", 14},  {"clock", 15},        {"local0", 16}, {"local1", 17},   {"local2", 18},
    {"local3", 19},   {"local4", 20},       {"local5", 21}, {"local6", 22},   {"local7", 23},
    {"logalert", 14}, {"solaris-cron", 15},
}};

constexpr std::array<std::pair<std::string_view, std::uint8_t>, 14> kSeverities{{
    {"emerg", 0},
    {"emergency", 0},
    {"alert", 1},
    {"crit", 2},
    {"critical", 2},
    {"err", 3},
    {"error", 3},
    {"warning", 4},
    {"warn", 4},
    {"notice", 5},
    {"info", 6},
    {"informational", 6},
    {"debug", 7},
    {"panic", 0},
}};

std::optional<std::uint8_t> number_up_to(std::string_view text, unsigned max) {
  unsigned value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value > max) {
    return std::nullopt;
  }
  return static_cast<std::uint8_t>(value);
}

// `name` is lower-case; `text` may be in any case ("LOCAL0", "Warning").
bool same_name(std::string_view name, std::string_view text) {
  return name.size() == text.size() &&
         std::equal(name.begin(), name.end(), text.begin(), [](char lower, char any) {
           return lower == static_cast<char>(std::tolower(static_cast<unsigned char>(any)));
         });
}

template <std::size_t N>
std::optional<std::uint8_t> lookup(
    const std::array<std::pair<std::string_view, std::uint8_t>, N>& table, std::string_view text,
    unsigned max) {
  for (const auto& [name, value] : table) {
    if (same_name(name, text)) return value;
  }
  return number_up_to(text, max);
}

}  // namespace

std::optional<std::uint8_t> syslog_facility_of(std::string_view text) {
  return lookup(kFacilities, text, 23);
}

std::optional<std::uint8_t> syslog_severity_of(std::string_view text) {
  return lookup(kSeverities, text, 7);
}

std::optional<std::uint8_t> syslog_severity_of_level(const FieldValue& level) {
  if (level.type() == FieldValue::Type::kString) {
    if (auto severity = syslog_severity_of(level.as_string())) return severity;
  } else if (level.type() == FieldValue::Type::kInt && level.as_int() >= 0 && level.as_int() <= 7) {
    return static_cast<std::uint8_t>(level.as_int());
  }
  const std::optional<LogLevel> parsed = level_of_value(level);
  if (!parsed) return std::nullopt;
  constexpr std::array<std::uint8_t, 6> kByLevel{7, 7, 6, 4, 3, 2};  // trace ... fatal
  return kByLevel[static_cast<std::size_t>(*parsed)];
}

}  // namespace lc
