#include "core/level_words.hpp"

#include <strings.h>

#include <array>
#include <cctype>
#include <charconv>
#include <cstdint>

namespace lc {
namespace {

struct LevelWord {
  std::string_view word;
  LogLevel level;
};

constexpr std::array<LevelWord, 27> kWords{{
    {"trace", LogLevel::kTrace},        {"trc", LogLevel::kTrace},
    {"debug", LogLevel::kDebug},        {"dbg", LogLevel::kDebug},
    {"dbug", LogLevel::kDebug},         {"info", LogLevel::kInfo},
    {"inf", LogLevel::kInfo},           {"information", LogLevel::kInfo},
    {"informational", LogLevel::kInfo}, {"notice", LogLevel::kInfo},
    {"warn", LogLevel::kWarn},          {"warning", LogLevel::kWarn},
    {"wrn", LogLevel::kWarn},           {"error", LogLevel::kError},
    {"err", LogLevel::kError},          {"eror", LogLevel::kError},
    {"fatal", LogLevel::kFatal},        {"ftl", LogLevel::kFatal},
    {"critical", LogLevel::kFatal},     {"crit", LogLevel::kFatal},
    {"crt", LogLevel::kFatal},          {"alert", LogLevel::kFatal},
    {"emerg", LogLevel::kFatal},        {"emergency", LogLevel::kFatal},
    {"panic", LogLevel::kFatal},        {"severe", LogLevel::kFatal},
    {"dpanic", LogLevel::kFatal},
}};

constexpr std::array<std::string_view, 6> kNames{"trace", "debug", "info",
                                                 "warn",  "error", "fatal"};

std::optional<LogLevel> level_of_number(std::int64_t number) {
  if (number >= 0 && number <= 7) {
    constexpr std::array<LogLevel, 8> kSyslog{LogLevel::kFatal, LogLevel::kFatal, LogLevel::kFatal,
                                              LogLevel::kError, LogLevel::kWarn,  LogLevel::kInfo,
                                              LogLevel::kInfo,  LogLevel::kDebug};
    return kSyslog[static_cast<std::size_t>(number)];
  }
  if (number >= 10 && number <= 60 && number % 10 == 0) {
    return static_cast<LogLevel>(number / 10 - 1);
  }
  return std::nullopt;
}

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool all_upper(std::string_view word) {
  for (const char c : word) {
    if (std::islower(static_cast<unsigned char>(c)) != 0) return false;
  }
  return true;
}

// The value after a `key=` or `"key":` at `at` (key already matched), up to a delimiter.
std::string_view value_after(std::string_view line, std::size_t at) {
  while (at < line.size() && (line[at] == ' ' || line[at] == '"' || line[at] == '\'')) ++at;
  std::size_t end = at;
  while (end < line.size() && is_word_char(line[end])) ++end;
  return line.substr(at, end - at);
}

// `level=x`, `lvl=x`, `severity=x`, `"level":"x"` (any case for the key), at a key boundary.
std::optional<LogLevel> level_of_pair(std::string_view line) {
  for (std::string_view key : {"level", "lvl", "severity", "loglevel"}) {
    for (std::size_t at = 0; (at = line.find(key, at)) != std::string_view::npos;
         at += key.size()) {
      if (at > 0 && (is_word_char(line[at - 1]) || line[at - 1] == '.')) continue;
      std::size_t after = at + key.size();
      if (after < line.size() && line[after] == '"') ++after;  // "level":
      if (after >= line.size() || (line[after] != '=' && line[after] != ':')) continue;
      const std::string_view value = value_after(line, after + 1);
      if (auto level = level_of_word(value)) return level;
      std::int64_t number = 0;
      auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
      if (error == std::errc() && end == value.data() + value.size() && !value.empty()) {
        if (auto level = level_of_number(number)) return level;
      }
    }
  }
  return std::nullopt;
}

// `[ERROR]`, `<warn>`: a level word alone between brackets, in the first 128 bytes.
std::optional<LogLevel> level_in_brackets(std::string_view line) {
  const std::string_view head = line.substr(0, 128);
  for (std::size_t open = 0; open < head.size(); ++open) {
    const char c = head[open];
    const char close = c == '[' ? ']' : c == '<' ? '>' : '\0';
    if (close == '\0') continue;
    const std::size_t end = head.find(close, open + 1);
    if (end == std::string_view::npos) continue;
    if (auto level = level_of_word(head.substr(open + 1, end - open - 1))) return level;
  }
  return std::nullopt;
}

// An upper-case level word among the first five words (`ERROR`, `WARN:`), or glog's
// `E1205 10:00:01.123456 ...`.
std::optional<LogLevel> level_in_leading_words(std::string_view line) {
  if (line.size() > 5 && std::string_view("IWEF").find(line[0]) != std::string_view::npos &&
      std::isdigit(static_cast<unsigned char>(line[1])) != 0 &&
      std::isdigit(static_cast<unsigned char>(line[4])) != 0 && line[5] == ' ') {
    constexpr std::array<LogLevel, 4> kGlog{LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError,
                                            LogLevel::kFatal};
    return kGlog[std::string_view("IWEF").find(line[0])];
  }
  std::size_t at = 0;
  for (int words = 0; words < 5 && at < line.size(); ++words) {  // words: between spaces
    while (at < line.size() && line[at] == ' ') ++at;
    std::size_t end = line.find(' ', at);
    if (end == std::string_view::npos) end = line.size();
    std::string_view word = line.substr(at, end - at);
    while (!word.empty() && !is_word_char(word.front())) word.remove_prefix(1);  // "WARN:"
    while (!word.empty() && !is_word_char(word.back())) word.remove_suffix(1);
    if (word.size() >= 3 && all_upper(word)) {
      if (auto level = level_of_word(word)) return level;
    }
    at = end;
  }
  return std::nullopt;
}

}  // namespace

std::string_view level_name(LogLevel level) { return kNames[static_cast<std::size_t>(level)]; }

std::optional<LogLevel> level_of_word(std::string_view word) {
  for (const LevelWord& entry : kWords) {
    if (entry.word.size() == word.size() &&
        ::strncasecmp(entry.word.data(), word.data(), word.size()) == 0) {
      return entry.level;
    }
  }
  return std::nullopt;
}

std::optional<LogLevel> level_of_value(const FieldValue& value) {
  switch (value.type()) {
    case FieldValue::Type::kInt:
      return level_of_number(value.as_int());
    case FieldValue::Type::kFloat: {
      const double number = value.as_float();
      if (number != static_cast<double>(static_cast<std::int64_t>(number))) return std::nullopt;
      return level_of_number(static_cast<std::int64_t>(number));
    }
    case FieldValue::Type::kString: {
      const std::string& text = value.as_string();
      if (auto level = level_of_word(text)) return level;
      std::int64_t number = 0;
      auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
      if (error == std::errc() && end == text.data() + text.size() && !text.empty()) {
        return level_of_number(number);
      }
      return std::nullopt;
    }
    default:
      return std::nullopt;
  }
}

std::optional<LogLevel> level_in_message(std::string_view line) {
  if (auto level = level_of_pair(line)) return level;
  if (auto level = level_in_brackets(line)) return level;
  return level_in_leading_words(line);
}

}  // namespace lc
