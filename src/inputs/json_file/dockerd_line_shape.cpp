#include "inputs/json_file/dockerd_line_shape.hpp"

#include "core/hex_digit.hpp"
#include "core/json_text_scan.hpp"
#include "core/utf8.hpp"

namespace lc::json_file {

namespace {

constexpr std::size_t kNotPlain = std::string_view::npos;
constexpr std::string_view kBeforeLog = R"({"log":")";
constexpr std::string_view kBeforeStream = R"(,"stream":")";
constexpr std::string_view kBeforeTime = R"(","time":")";
constexpr std::string_view kAfterTime = R"("})";

void append_utf8(std::string& out, unsigned code) {  // code < 0x10000, not a surrogate
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The escape sequence at line[pos] ('\\'), appended unescaped; the position after it, or
// kNotPlain (invalid, or a surrogate: pairs are left to the full parser).
std::size_t read_escape(std::string_view line, std::size_t pos, std::string& out) {
  if (pos + 1 >= line.size()) return kNotPlain;
  switch (line[pos + 1]) {
    case '"':
      out += '"';
      break;
    case '\\':
      out += '\\';
      break;
    case '/':
      out += '/';
      break;
    case 'b':
      out += '\b';
      break;
    case 'f':
      out += '\f';
      break;
    case 'n':
      out += '\n';
      break;
    case 'r':
      out += '\r';
      break;
    case 't':
      out += '\t';
      break;
    case 'u': {
      if (pos + 6 > line.size()) return kNotPlain;
      unsigned code = 0;
      for (std::size_t i = pos + 2; i < pos + 6; ++i) {
        const int digit = hex_digit_value(line[i]);
        if (digit < 0) return kNotPlain;
        code = code << 4 | static_cast<unsigned>(digit);
      }
      if (code >= 0xD800 && code <= 0xDFFF) return kNotPlain;
      append_utf8(out, code);
      return pos + 6;
    }
    default:
      return kNotPlain;
  }
  return pos + 2;
}

// The JSON string whose text starts at `pos` (after its opening quote), appended unescaped to
// `out`; the position after its closing quote, or kNotPlain.
std::size_t read_string(std::string_view line, std::size_t pos, std::string& out) {
  for (;;) {
    const std::size_t special = find_json_special</*kStopAtNonAscii=*/true>(line, pos);
    out.append(line.data() + pos, special - pos);
    if (special == line.size()) return kNotPlain;  // no closing quote
    const auto c = static_cast<unsigned char>(line[special]);
    if (c == '"') return special + 1;
    if (c == '\\') {
      pos = read_escape(line, special, out);
      if (pos == kNotPlain) return kNotPlain;
      continue;
    }
    if (c < 0x20) return kNotPlain;  // a raw control character: not JSON
    std::size_t bad_length = 0;
    const std::size_t length = utf8_sequence_length(line, special, bad_length);
    if (length == 0) return kNotPlain;
    out.append(line.data() + special, length);
    pos = special + length;
  }
}

}  // namespace

bool read_dockerd_line_shape(std::string_view line, std::string& log, LogStream& stream,
                             std::string_view& time) {
  if (!line.starts_with(kBeforeLog)) return false;
  log.clear();
  const std::size_t after_log = read_string(line, kBeforeLog.size(), log);
  if (after_log == kNotPlain) return false;
  std::string_view rest = line.substr(after_log);
  if (!rest.starts_with(kBeforeStream)) return false;
  rest.remove_prefix(kBeforeStream.size());
  if (rest.starts_with("stdout")) {
    stream = LogStream::kStdout;
  } else if (rest.starts_with("stderr")) {
    stream = LogStream::kStderr;
  } else {
    return false;
  }
  rest.remove_prefix(6);
  if (rest.size() < kBeforeTime.size() + kAfterTime.size() || !rest.starts_with(kBeforeTime) ||
      !rest.ends_with(kAfterTime)) {
    return false;
  }
  rest.remove_prefix(kBeforeTime.size());
  rest.remove_suffix(kAfterTime.size());
  // Not scanned here: the caller's RFC 3339 parser accepts only digits, 'T', ':', '.', 'Z',
  // '+' and '-', so a time holding a quote or an escape goes to the full parser too.
  time = rest;
  return true;
}

}  // namespace lc::json_file
