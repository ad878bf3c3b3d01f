#include "inputs/json_file/dockerd_line_shape.hpp"

#include <cstring>

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

void put_utf8(char*& out, unsigned code) {  // code < 0x10000, not a surrogate
  if (code < 0x80) {
    *out++ = static_cast<char>(code);
  } else if (code < 0x800) {
    *out++ = static_cast<char>(0xC0 | (code >> 6));
    *out++ = static_cast<char>(0x80 | (code & 0x3F));
  } else {
    *out++ = static_cast<char>(0xE0 | (code >> 12));
    *out++ = static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (code & 0x3F));
  }
}

// The escape sequence at line[pos] ('\\'), written unescaped at `out` (never longer than the
// sequence); the position after it, or kNotPlain (invalid, or a surrogate: pairs are left to
// the full parser).
std::size_t read_escape(std::string_view line, std::size_t pos, char*& out) {
  if (pos + 1 >= line.size()) return kNotPlain;
  char plain = 0;
  switch (line[pos + 1]) {
    case '"':
      plain = '"';
      break;
    case '\\':
      plain = '\\';
      break;
    case '/':
      plain = '/';
      break;
    case 'b':
      plain = '\b';
      break;
    case 'f':
      plain = '\f';
      break;
    case 'n':
      plain = '\n';
      break;
    case 'r':
      plain = '\r';
      break;
    case 't':
      plain = '\t';
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
      put_utf8(out, code);
      return pos + 6;
    }
    default:
      return kNotPlain;
  }
  *out++ = plain;
  return pos + 2;
}

// The JSON string whose text starts at `pos` (after its opening quote), appended unescaped to
// `out`; the position after its closing quote, or kNotPlain. Written through a pointer into
// room made once (the text unescaped is never longer than it is escaped): a JSON message has a
// dozen escaped quotes, and an append for each run cost more than the scan.
std::size_t read_string(std::string_view line, std::size_t pos, std::string& out) {
  const std::size_t base = out.size();
  out.resize(base + (line.size() - pos));
  char* const begin = out.data() + base;
  char* dst = begin;
  const auto finish = [&](std::size_t result) {
    out.resize(base + static_cast<std::size_t>(dst - begin));
    return result;
  };
  for (;;) {
    pos = copy_until_json_special</*kStopAtNonAscii=*/true>(line, pos, dst);
    if (pos == line.size()) return finish(kNotPlain);  // no closing quote
    const auto c = static_cast<unsigned char>(line[pos]);
    if (c == '"') return finish(pos + 1);
    if (c == '\\') {
      pos = read_escape(line, pos, dst);
      if (pos == kNotPlain) return finish(kNotPlain);
      continue;
    }
    if (c < 0x20) return finish(kNotPlain);  // a raw control character: not JSON
    std::size_t bad_length = 0;
    const std::size_t length = utf8_sequence_length(line, pos, bad_length);
    if (length == 0) return finish(kNotPlain);
    std::memcpy(dst, line.data() + pos, length);
    dst += length;
    pos += length;
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
