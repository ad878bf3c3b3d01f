#include "core/json_string_writer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "core/json_text_scan.hpp"
#include "core/utf8.hpp"

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

// Fast path for text known to be valid UTF-8: copies the runs between the bytes that need an
// escape (none in most log text; a dozen quotes in a JSON message) through a pointer into room
// made ahead, rather than an append per run and per escape.
void append_escaped_valid(std::string& out, std::string_view text) {
  constexpr std::size_t kLongestEscape = 6;  // \u00XX
  std::size_t written = out.size();
  std::size_t pos = 0;
  for (;;) {
    // Room for the rest copied as it is (whole chunks are stored) and one escape.
    const std::size_t room = written + (text.size() - pos) + kLongestEscape;
    if (out.size() < room) {
      if (out.capacity() < room) out.reserve(std::max(room, out.capacity() + out.capacity() / 2));
      out.resize(room);
    }
    char* const begin = out.data() + written;
    char* dst = begin;
    pos = copy_until_json_special</*kStopAtNonAscii=*/false>(text, pos, dst);
    if (pos < text.size()) {
      const auto c = static_cast<unsigned char>(text[pos++]);
      const char kind = kEscape[c];
      *dst++ = '\\';
      if (kind != 'u') {
        *dst++ = kind;
      } else {
        constexpr char kHex[] = "0123456789abcdef";
        const char escaped[5] = {'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        std::memcpy(dst, escaped, sizeof escaped);
        dst += sizeof escaped;
      }
    }
    written += static_cast<std::size_t>(dst - begin);
    if (pos == text.size()) break;
  }
  out.resize(written);
}

void append_escaped_repairing(std::string& out, std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t bad_length = 0;
    const std::size_t length = utf8_sequence_length(text, pos, bad_length);
    if (length == 0) {
      out += kUtf8ReplacementCharacter;
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

// Whether `text` is all ASCII (so valid UTF-8): fields are short strings, mostly ASCII, for
// which simdjson's validator cost more in its dispatch than in its work (10 % of the store's
// CPU with parse_regex).
bool short_and_ascii(std::string_view text) {
  if (text.size() > 64) return false;
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::uint64_t seen = 0;
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, sizeof word);
    seen |= word;
  }
  for (; i < text.size(); ++i) seen |= static_cast<unsigned char>(text[i]);
  return (seen & kHighBits) == 0;
}

}  // namespace

bool append_json_string(std::string& out, std::string_view text, bool known_valid_utf8) {
  const bool valid = known_valid_utf8 || short_and_ascii(text) ||
                     simdjson::validate_utf8(text.data(), text.size());
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
