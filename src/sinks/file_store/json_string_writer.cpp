#include "sinks/file_store/json_string_writer.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <cstdint>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

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

// True when one of the 8 bytes of `word` needs an escape: below 0x20, '"' or '\\'. The classic
// has-zero-byte test (x - 0x01..) & ~x & 0x80.., exact as to whether any byte matches; bytes
// of 0x80 and above never match (~x clears their top bit).
constexpr bool word_needs_escape(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ull;
  constexpr std::uint64_t kHigh = 0x8080808080808080ull;
  const std::uint64_t quote = word ^ (kOnes * '"');
  const std::uint64_t backslash = word ^ (kOnes * '\\');
  const std::uint64_t control = (word - kOnes * 0x20) & ~word;
  return (((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | control) & kHigh;
}

// The first multiple-of-16 step at or after `i` whose 16 bytes hold one that needs an escape
// (or the last position from which 16 bytes remain). SSE2 is part of every x86-64; elsewhere
// the 8-byte loop below does the work.
std::size_t skip_plain_16(std::string_view text, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i last_control = _mm_set1_epi8(0x1F);
  for (; i + 16 <= text.size(); i += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + i));
    // Unsigned max(c, 0x1F) == 0x1F exactly when c <= 0x1F: non-ASCII bytes need no escape.
    const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(chunk, last_control), last_control);
    const __m128i needs = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)), control);
    if (_mm_movemask_epi8(needs) != 0) break;
  }
#endif
  return i;
}

// Fast path for text known to be valid UTF-8: skips 16 or 8 bytes at a time while none needs
// an escape (most log text), and copies runs that need no escape in one append.
void append_escaped_valid(std::string& out, std::string_view text) {
  const char* data = text.data();
  std::size_t run_start = 0;
  std::size_t i = 0;
  for (;;) {
    i = skip_plain_16(text, i);
    while (i + 8 <= text.size()) {
      std::uint64_t word;
      std::memcpy(&word, data + i, sizeof(word));
      if (word_needs_escape(word)) break;
      i += 8;
    }
    // Byte by byte through the word that needs an escape (or the last few bytes).
    const std::size_t stop = std::min(text.size(), i + 8);
    for (; i < stop; ++i) {
      const auto c = static_cast<unsigned char>(data[i]);
      if (kEscape[c] != 0) [[unlikely]] {
        out.append(data + run_start, i - run_start);
        append_escape(out, c);
        run_start = i + 1;
      }
    }
    if (i >= text.size()) break;
  }
  out.append(data + run_start, text.size() - run_start);
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

}  // namespace

bool append_json_string(std::string& out, std::string_view text, bool known_valid_utf8) {
  const bool valid = known_valid_utf8 || simdjson::validate_utf8(text.data(), text.size());
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
