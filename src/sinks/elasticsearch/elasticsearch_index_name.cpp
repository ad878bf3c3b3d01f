#include "sinks/elasticsearch/elasticsearch_index_name.hpp"

#include <fmt/format.h>

#include "config/config_value_checks.hpp"
#include "core/timestamp.hpp"

namespace lc {
namespace {

constexpr std::string_view kForbidden = "\\/*?\"<>| ,#:";
constexpr std::size_t kMaxIndexNameBytes = 255;

// The parts of an RFC 3339 time "YYYY-MM-DDTHH:..." a specifier stands for.
std::optional<std::string_view> date_part(char specifier, std::string_view rfc3339) {
  switch (specifier) {
    case 'Y':
      return rfc3339.substr(0, 4);
    case 'm':
      return rfc3339.substr(5, 2);
    case 'd':
      return rfc3339.substr(8, 2);
    case 'H':
      return rfc3339.substr(11, 2);
    case '%':
      return "%";
    default:
      return std::nullopt;
  }
}

// Appends `literal` with its %-specifiers replaced by the parts of `rfc3339` (empty: only
// checks them). Returns the first unknown specifier's problem.
std::optional<std::string> expand_dates(std::string_view literal, std::string_view rfc3339,
                                        std::string& out) {
  for (std::size_t i = 0; i < literal.size(); ++i) {
    if (literal[i] != '%') {
      out += literal[i];
      continue;
    }
    if (i + 1 == literal.size()) return std::string("a '%' ends the name (write %% for '%')");
    const char specifier = literal[++i];
    const auto part = date_part(specifier, rfc3339.empty() ? "0000-00-00T00" : rfc3339);
    if (!part) {
      return fmt::format("%{} is not a date specifier here (use %Y %m %d %H, or %% for '%')",
                         specifier);
    }
    out += *part;
  }
  return std::nullopt;
}

// Values become what an index name may hold: ASCII only (no byte of another encoding can break
// the action line's JSON or the name's rules), lower case, no forbidden character.
void append_sanitized(std::string_view value, std::string& out) {
  for (const char c : value) {
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
    } else {
      out += index_name_character(c) && static_cast<unsigned char>(c) < 0x80 ? c : '_';
    }
  }
}

// A rendered name made valid whatever its values were: no leading '-', '_' or '+' (a label
// that rendered empty), not empty, "." or "..", at most 255 bytes.
void make_valid(std::string& out, std::size_t start) {
  std::size_t first = start;
  while (first < out.size() && (out[first] == '-' || out[first] == '_' || out[first] == '+')) {
    ++first;
  }
  out.erase(start, first - start);
  const std::string_view name = std::string_view(out).substr(start);
  if (name.empty() || name == "." || name == "..") {
    out.resize(start);
    out += "log-capturer-unnamed";
  }
  if (out.size() - start > kMaxIndexNameBytes) out.resize(start + kMaxIndexNameBytes);
}

}  // namespace

bool index_name_character(char c) {
  const auto byte = static_cast<unsigned char>(c);
  if (byte < 0x20 || byte == 0x7F || (c >= 'A' && c <= 'Z')) return false;
  return kForbidden.find(c) == std::string_view::npos;
}

std::optional<std::string> ElasticsearchIndexName::parse(std::string_view text,
                                                         ElasticsearchIndexName& out) {
  RecordTemplate parsed;
  if (auto problem = RecordTemplate::parse(text, parsed)) return problem;
  // The literal text, checked on a record without values.
  const LogRecord nothing;
  std::string rendered;
  std::optional<std::string> problem;
  parsed.render_escaped(
      RecordContext{nothing, ""}, rendered,
      [&](std::string_view literal, std::string& into) {
        if (auto found = expand_dates(literal, "", into); found && !problem) problem = found;
      },
      [](std::string_view, std::string&) {});
  if (problem) return fmt::format("{}: {}", quote_for_message(text), *problem);
  for (const char c : rendered) {
    if (!index_name_character(c)) {
      return fmt::format(
          "{}: an index name is lower case and holds none of \\ / * ? \" < > | , # : or blanks",
          quote_for_message(text));
    }
  }
  if (parsed.constant() && rendered.empty()) return std::string("must not be empty");
  if (parsed.constant() && (rendered.front() == '-' || rendered.front() == '_' ||
                            rendered.front() == '+' || rendered == "." || rendered == "..")) {
    return fmt::format("{}: an index name cannot start with '-', '_' or '+'",
                       quote_for_message(text));
  }
  out.template_ = std::move(parsed);
  return std::nullopt;
}

void ElasticsearchIndexName::render(const RecordContext& context, std::string& out) const {
  const std::size_t start = out.size();
  std::string time;
  append_rfc3339_nano(time, context.record.event_or_source_time());
  template_.render_escaped(
      context, out,
      [&time](std::string_view literal, std::string& into) { expand_dates(literal, time, into); },
      append_sanitized);
  make_valid(out, start);
}

}  // namespace lc
