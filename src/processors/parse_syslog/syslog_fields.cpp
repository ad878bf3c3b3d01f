#include "processors/parse_syslog/syslog_fields.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>

namespace lc {
namespace {

constexpr std::array<std::string_view, 8> kSeverities{"emerg",   "alert",  "crit", "err",
                                                      "warning", "notice", "info", "debug"};
constexpr std::array<std::string_view, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// `<PRI>` at the start: sets facility, severity and level, and moves past it.
std::optional<std::string> read_priority(std::string_view& line, FieldValue::Map& out) {
  if (line.empty() || line[0] != '<') return std::nullopt;
  std::size_t end = 1;
  int value = 0;
  while (end < line.size() && end <= 4 && is_digit(line[end]))
    value = value * 10 + (line[end++] - '0');
  if (end == 1 || end >= line.size() || line[end] != '>' || value > 191) {
    return "a <PRI> that is not <0> to <191>";
  }
  out.push_back({"facility", FieldValue(std::int64_t{value / 8})});
  out.push_back({"severity", FieldValue(std::int64_t{value % 8})});
  out.push_back({"level", FieldValue(kSeverities[static_cast<std::size_t>(value % 8)])});
  line.remove_prefix(end + 1);
  return std::nullopt;
}

// The next space-separated word (moved past, with the space).
std::string_view next_word(std::string_view& line) {
  const std::size_t end = line.find(' ');
  const std::string_view word = line.substr(0, end);
  line.remove_prefix(end == std::string_view::npos ? line.size() : end + 1);
  return word;
}

void add_unless_nil(FieldValue::Map& out, const char* key, std::string_view word) {
  if (word != "-" && !word.empty()) out.push_back({key, FieldValue(word)});
}

// [id k="v" k2="v\"2"][id2 ...]: RFC 5424 structured data.
std::optional<std::string> read_structured_data(std::string_view& line, FieldValue::Map& out) {
  if (!line.empty() && line[0] == '-') {
    line.remove_prefix(line.size() > 1 && line[1] == ' ' ? 2 : 1);
    return std::nullopt;
  }
  FieldValue::Map elements;
  while (!line.empty() && line[0] == '[') {
    std::size_t at = 1;
    const std::size_t id_end = line.find_first_of(" ]", at);
    if (id_end == std::string_view::npos) return "structured data is not closed";
    const std::string id(line.substr(at, id_end - at));
    FieldValue::Map params;
    at = id_end;
    while (at < line.size() && line[at] == ' ') {
      const std::size_t equals = line.find('=', at + 1);
      if (equals == std::string_view::npos || equals + 1 >= line.size() ||
          line[equals + 1] != '"') {
        return "a structured data parameter without =\"value\"";
      }
      std::string value;
      std::size_t i = equals + 2;
      for (; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] == '\\' && i + 1 < line.size()) ++i;  // \" \\ \] escapes
        value += line[i];
      }
      if (i >= line.size()) return "a structured data value is not closed";
      params.push_back({std::string(line.substr(at + 1, equals - at - 1)), FieldValue(value)});
      at = i + 1;
    }
    if (at >= line.size() || line[at] != ']') return "structured data is not closed";
    elements.push_back({id, FieldValue(std::move(params))});
    line.remove_prefix(at + 1);
  }
  if (elements.empty()) return "structured data is neither - nor [...]";
  out.push_back({"structured_data", FieldValue(std::move(elements))});
  if (!line.empty() && line[0] == ' ') line.remove_prefix(1);
  return std::nullopt;
}

std::optional<std::string> parse_5424(std::string_view line, FieldValue::Map& out) {
  next_word(line);  // the version, "1"
  add_unless_nil(out, "timestamp", next_word(line));
  add_unless_nil(out, "hostname", next_word(line));
  add_unless_nil(out, "appname", next_word(line));
  add_unless_nil(out, "procid", next_word(line));
  add_unless_nil(out, "msgid", next_word(line));
  if (auto problem = read_structured_data(line, out)) return problem;
  if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);  // the BOM before a UTF-8 MSG
  if (!line.empty()) out.push_back({"message", FieldValue(line)});
  return std::nullopt;
}

// `Oct 11 22:14:15 host app[pid]: text` (RFC 3164's TIMESTAMP HOSTNAME TAG: MSG).
std::optional<std::string> parse_3164(std::string_view line, FieldValue::Map& out) {
  const bool month =
      line.size() >= 16 &&
      std::find(kMonths.begin(), kMonths.end(), line.substr(0, 3)) != kMonths.end() &&
      line[3] == ' ' && line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[15] == ' ';
  if (!month) return "neither an RFC 5424 nor an RFC 3164 header";
  out.push_back({"timestamp", FieldValue(line.substr(0, 15))});
  line.remove_prefix(16);
  add_unless_nil(out, "hostname", next_word(line));
  const std::size_t colon = line.find(": ");
  const std::size_t space = line.find(' ');
  if (colon != std::string_view::npos && colon < space) {
    std::string_view tag = line.substr(0, colon);
    const std::size_t open = tag.find('[');
    if (open != std::string_view::npos && tag.back() == ']') {
      out.push_back({"procid", FieldValue(tag.substr(open + 1, tag.size() - open - 2))});
      tag = tag.substr(0, open);
    }
    out.push_back({"appname", FieldValue(tag)});
    line.remove_prefix(colon + 2);
  }
  if (!line.empty()) out.push_back({"message", FieldValue(line)});
  return std::nullopt;
}

}  // namespace

std::optional<std::string> parse_syslog_fields(std::string_view line, FieldValue& out) {
  FieldValue::Map fields;
  if (auto problem = read_priority(line, fields)) return problem;
  const bool rfc5424 = line.size() >= 2 && line[0] == '1' && line[1] == ' ';
  if (auto problem = rfc5424 ? parse_5424(line, fields) : parse_3164(line, fields)) return problem;
  out = FieldValue(std::move(fields));
  return std::nullopt;
}

}  // namespace lc
