#include "processors/parse_logfmt/logfmt_fields.hpp"

#include <fmt/format.h>

#include <unordered_map>

namespace lc {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

// A quoted value from just after its opening quote; `at` ends after the closing one. False for
// a quote left open.
bool read_quoted(std::string_view line, std::size_t& at, std::string& value) {
  while (at < line.size()) {
    const char c = line[at++];
    if (c == '"') return true;
    if (c != '\\' || at == line.size()) {
      value += c;
      continue;
    }
    const char escaped = line[at++];
    switch (escaped) {
      case 'n':
        value += '\n';
        break;
      case 't':
        value += '\t';
        break;
      case 'r':
        value += '\r';
        break;
      default:
        value += escaped;  // \" \\ and anything else as itself
    }
  }
  return false;
}

}  // namespace

std::optional<std::string> parse_logfmt_fields(std::string_view line, FieldValue& out) {
  FieldValue::Map map;
  std::unordered_map<std::string_view, std::size_t> seen;  // keys are views into the line
  std::size_t at = 0;
  while (true) {
    while (at < line.size() && is_space(line[at])) ++at;
    if (at == line.size()) break;
    const std::size_t key_start = at;
    while (at < line.size() && !is_space(line[at]) && line[at] != '=' && line[at] != '"') ++at;
    const std::string_view key = line.substr(key_start, at - key_start);
    if (key.empty()) return fmt::format("a key is missing at byte {}", key_start + 1);
    std::string value = "true";
    if (at < line.size() && line[at] == '=') {
      ++at;
      value.clear();
      if (at < line.size() && line[at] == '"') {
        ++at;
        if (!read_quoted(line, at, value)) return fmt::format("the value of {} is not closed", key);
      } else {
        const std::size_t value_start = at;
        while (at < line.size() && !is_space(line[at])) ++at;
        value.assign(line.substr(value_start, at - value_start));
      }
    } else if (at < line.size() && line[at] == '"') {
      return fmt::format("a quote follows the key {} without '='", key);
    }
    if (const auto found = seen.find(key); found != seen.end()) {
      map[found->second].value = FieldValue(std::move(value));
    } else {
      seen.emplace(key, map.size());
      map.push_back(FieldEntry{std::string(key), FieldValue(std::move(value))});
    }
  }
  if (map.empty()) return "no key=value pair";
  out = FieldValue(std::move(map));
  return std::nullopt;
}

}  // namespace lc
