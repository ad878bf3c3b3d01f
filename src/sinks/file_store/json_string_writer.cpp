#include "sinks/file_store/json_string_writer.hpp"

#include <simdjson.h>

#include <array>
#include <cstdint>

namespace lc {
namespace {

// 0: copy as is; otherwise the character after '\\' ('u' means \u00XX).
constexpr std::array<char, 256> make_escape_table() {
  std::array<char, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 'u';
  table['\b'] = 'b';
  table['\f'] = 'f';
  table['\n'] = 'n';
  table['\r'] = 'r';
  table['\t'] = 't';
  table['"'] = '"';
  table['\\'] = '\\';
  return table;
}
constexpr std::array<char, 256> kEscape = make_escape_table();

constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";  // U+FFFD

void append_escape(std::string& out, unsigned char c) {
  const char kind = kEscape[c];
  if (kind != 'u') {
    const char escaped[2] = {'\\', kind};
    out.append(escaped, 2);
    return;
  }
  constexpr char kHex[] = "0123456789abcdef";
  const char escaped[6] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
  out.append(escaped, 6);
}

// Fast path for text known to be valid UTF-8: copy runs that need no escape in one append.
void append_escaped_valid(std::string& out, std::string_view text) {
  const char* data = text.data();
  std::size_t run_start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(data[i]);
    if (kEscape[c] != 0) [[unlikely]] {
      out.append(data + run_start, i - run_start);
      append_escape(out, c);
      run_start = i + 1;
    }
  }
  out.append(data + run_start, text.size() - run_start);
}

// Length of the well-formed UTF-8 sequence at text[pos], or 0 when it is ill-formed; then
// `bad_length` is the maximal subpart to replace (at least 1 byte). Table 3-7 of Unicode.
std::size_t well_formed_length(std::string_view text, std::size_t pos, std::size_t& bad_length) {
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // allowed range of the second byte
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;   // no overlong forms
    if (lead == 0xED) high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;   // no overlong forms
    if (lead == 0xF4) high = 0x8F;  // nothing above U+10FFFF
  } else {
    bad_length = 1;  // stray continuation byte, C0, C1, F5..FF
    return 0;
  }
  for (std::size_t i = 1; i < length; ++i) {
    if (pos + i >= text.size()) {
      bad_length = i;
      return 0;
    }
    const auto c = static_cast<unsigned char>(text[pos + i]);
    const bool ok = i == 1 ? (c >= low && c <= high) : (c >= 0x80 && c <= 0xBF);
    if (!ok) {
      bad_length = i;
      return 0;
    }
  }
  return length;
}

void append_escaped_repairing(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t bad_length = 0;
    const std::size_t length = well_formed_length(text, pos, bad_length);
    if (length == 0) {
      out += kReplacementCharacter;
      pos += bad_length;
    } else if (length == 1) {
      const auto c = static_cast<unsigned char>(text[pos]);
      if (kEscape[c] != 0) {
        append_escape(out, c);
      } else {
        out += static_cast<char>(c);
      }
      ++pos;
    } else {
      out.append(text.data() + pos, length);
      pos += length;
    }
  }
}

}  // namespace

bool append_json_string(std::string& out, std::string_view text) {
  const bool valid = simdjson::validate_utf8(text.data(), text.size());
  out += '"';
  if (valid) [[likely]] {
    append_escaped_valid(out, text);
  } else {
    append_escaped_repairing(out, text);
  }
  out += '"';
  return valid;
}

}  // namespace lc
