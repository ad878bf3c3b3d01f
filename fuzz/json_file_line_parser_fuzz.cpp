// libFuzzer target for the json-file line parser. Input: [cap selector][lines separated by
// '\n'...]. Checks, beyond "no crash": a parsed `log` is valid UTF-8 and never longer than its
// line (unescaping only shrinks), the result of a line does not depend on what the reused
// parser saw before it, the hand-written reading of dockerd's shape agrees with simdjson's
// (parse() against parse_in_full()), and a line over the cap is refused.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "inputs/json_file/json_file_line_parser.hpp"

namespace {

using lc::json_file::JsonFileLine;
using lc::json_file::JsonFileLineParser;
using lc::json_file::LineError;

bool valid_utf8(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    std::size_t length;
    std::uint32_t code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      length = 2;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    if ((length == 2 && code < 0x80) || (length == 3 && code < 0x800) ||
        (length == 4 && (code < 0x10000 || code > 0x10ffff)) ||
        (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += length;
  }
  return true;
}

struct Result {
  LineError error;
  std::string log;
  lc::LogStream stream;
  lc::TimestampNs time;
  bool operator==(const Result&) const = default;
};

Result parse(JsonFileLineParser& parser, std::string_view line, bool in_full = false) {
  JsonFileLine out;
  const LineError error = in_full ? parser.parse_in_full(line, out) : parser.parse(line, out);
  if (error != LineError::kNone) return {error, {}, lc::LogStream::kStdout, 0};
  return {error, std::string(out.log), out.stream, out.time};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  static constexpr std::size_t kCaps[4] = {16, 100, 4096, JsonFileLineParser::kDefaultMaxLineBytes};
  const std::size_t cap = kCaps[data[0] & 3];
  static JsonFileLineParser shared[4] = {JsonFileLineParser(kCaps[0]), JsonFileLineParser(kCaps[1]),
                                         JsonFileLineParser(kCaps[2]),
                                         JsonFileLineParser(kCaps[3])};
  JsonFileLineParser& reused = shared[data[0] & 3];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  while (true) {
    const std::size_t newline = rest.find('\n');
    const std::string_view line = rest.substr(0, newline);
    const Result first = parse(reused, line);
    JsonFileLineParser fresh(cap);
    if (!(parse(fresh, line) == first)) __builtin_trap();  // depends on the parser's past
    if (!(parse(fresh, line, /*in_full=*/true) == first)) __builtin_trap();  // shapes disagree
    if (line.size() > cap && first.error != LineError::kTooLong) __builtin_trap();
    if (first.error == LineError::kNone) {
      if (first.log.size() > line.size() || !valid_utf8(first.log)) __builtin_trap();
    }
    if (newline == std::string_view::npos) break;
    rest.remove_prefix(newline + 1);
  }
  return 0;
}
