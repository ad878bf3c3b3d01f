#include "processors/parse_regex/access_log_reader.hpp"

#include "processors/parse_regex/regex_presets.hpp"

namespace lc {
namespace {

// The text being read, consumed from the front.
class AccessLogCursor {
 public:
  explicit AccessLogCursor(std::string_view text) : text_(text) {}

  bool take(char c) {
    if (text_.empty() || text_.front() != c) return false;
    text_.remove_prefix(1);
    return true;
  }
  // The longest run of bytes `in_run` accepts (possibly empty).
  template <typename Predicate>
  std::string_view run(Predicate in_run) {
    std::size_t length = 0;
    while (length < text_.size() && in_run(text_[length])) ++length;
    const std::string_view taken = text_.substr(0, length);
    text_.remove_prefix(length);
    return taken;
  }
  bool at_digit() const { return !text_.empty() && is_digit(text_.front()); }

  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

 private:
  std::string_view text_;
};

// RE2's \S: anything but its \s, [\t\n\f\r ].
bool not_space(char c) { return c != ' ' && c != '\t' && c != '\n' && c != '\f' && c != '\r'; }

// (?P<name>\S+) followed by ' '.
bool word_then_space(AccessLogCursor& in, std::optional<std::string_view>& out) {
  const std::string_view word = in.run(not_space);
  if (word.empty() || !in.take(' ')) return false;
  out = word;
  return true;
}

// "(?P<name>[^"]*)": the text up to the next quote, and that quote.
bool up_to_quote(AccessLogCursor& in, std::optional<std::string_view>& out) {
  out = in.run([](char c) { return c != '"'; });
  return in.take('"');
}

// The request line inside its quotes: (?P<method>[A-Z]+) (?P<path>[^ "]*)(?: (?P<protocol>
// [^"]*))? when it has that shape, else (?P<request>[^"]*) whole.
void split_request(std::string_view request, AccessLogReader::Captures& out) {
  AccessLogCursor in(request);
  const std::string_view method = in.run([](char c) { return c >= 'A' && c <= 'Z'; });
  if (method.empty() || !in.take(' ')) {
    out[AccessLogReader::kRequest] = request;
    return;
  }
  out[AccessLogReader::kMethod] = method;
  out[AccessLogReader::kPath] = in.run([](char c) { return c != ' '; });
  if (in.take(' ')) out[AccessLogReader::kProtocol] = in.run([](char) { return true; });
}

}  // namespace

std::optional<AccessLogReader::Format> AccessLogReader::format_of(std::string_view pattern) {
  for (const auto& [name, format] :
       {std::pair{"common", Format::kCommon}, std::pair{"combined", Format::kCombined}}) {
    if (const RegexPreset* preset = find_regex_preset(name); preset && preset->pattern == pattern) {
      return format;
    }
  }
  return std::nullopt;
}

bool AccessLogReader::read(Format format, std::string_view text, Captures& out) {
  out = {};
  AccessLogCursor in(text);
  if (!word_then_space(in, out[kClient]) || !word_then_space(in, out[kIdent]) ||
      !word_then_space(in, out[kUser]) || !in.take('[')) {
    return false;
  }
  out[kTime] = in.run([](char c) { return c != ']'; });
  std::optional<std::string_view> request;
  if (!in.take(']') || !in.take(' ') || !in.take('"') || !up_to_quote(in, request) ||
      !in.take(' ')) {
    return false;
  }
  split_request(*request, out);
  const std::string_view status = in.run(AccessLogCursor::is_digit);
  if (status.size() != 3 || !in.take(' ')) return false;
  out[kStatus] = status;
  if (in.at_digit()) {
    out[kSize] = in.run(AccessLogCursor::is_digit);
  } else if (!in.take('-')) {
    return false;
  }
  if (format == Format::kCommon) return true;
  return in.take(' ') && in.take('"') && up_to_quote(in, out[kReferer]) && in.take(' ') &&
         in.take('"') && up_to_quote(in, out[kAgent]);
}

}  // namespace lc
