#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace lc {

#if defined(__SSE2__)
// The bytes of a 16-byte chunk that a JSON string cannot hold as they are (see below), as bits
// of a mask (bit i: byte i).
template <bool kStopAtNonAscii>
inline unsigned json_special_mask(__m128i chunk) {
  __m128i low;
  if constexpr (kStopAtNonAscii) {
    // Signed: a byte >= 0x80 is negative, so "below a space" catches it too.
    low = _mm_cmplt_epi8(chunk, _mm_set1_epi8(0x20));
  } else {
    // Unsigned max(c, 0x1F) == 0x1F exactly when c <= 0x1F.
    const __m128i last_control = _mm_set1_epi8(0x1F);
    low = _mm_cmpeq_epi8(_mm_max_epu8(chunk, last_control), last_control);
  }
  const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, _mm_set1_epi8('"')),
                                                    _mm_cmpeq_epi8(chunk, _mm_set1_epi8('\\'))),
                                       low);
  return static_cast<unsigned>(_mm_movemask_epi8(special));
}
#endif

// One byte of what find_json_special looks for.
template <bool kStopAtNonAscii>
constexpr bool is_json_special(unsigned char c) {
  return c == '"' || c == '\\' || c < 0x20 || (kStopAtNonAscii && c >= 0x80);
}

// The first byte at or after `pos` that a JSON string cannot hold as it is: '"', '\\' or a
// control character (below 0x20); with kStopAtNonAscii, also any byte of 0x80 or above (whose
// UTF-8 the caller checks). `text.size()` when there is none. Used on every record twice (the
// json-file line reader, the store's escaping), so 16 bytes a step with SSE2 (every x86-64
// has it), 8 with 64-bit arithmetic elsewhere, then byte by byte.
template <bool kStopAtNonAscii>
std::size_t find_json_special(std::string_view text, std::size_t pos) {
  const char* data = text.data();
#if defined(__SSE2__)
  for (; pos + 16 <= text.size(); pos += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    if (const unsigned mask = json_special_mask<kStopAtNonAscii>(chunk)) {
      return pos + static_cast<std::size_t>(std::countr_zero(mask));
    }
  }
#endif
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
    // Flags, as its high bit, each byte that needs a look; the lowest one flagged is exact
    // (higher ones may be false, from borrows), which is all the search needs.
    const auto zero_bytes = [](std::uint64_t v) { return (v - kOnes) & ~v & kHighBits; };
    for (; pos + 8 <= text.size(); pos += 8) {
      std::uint64_t word;
      std::memcpy(&word, data + pos, sizeof word);
      std::uint64_t special = zero_bytes(word ^ (kOnes * '"')) | zero_bytes(word ^ (kOnes * '\\')) |
                              ((word - kOnes * 0x20) & ~word & kHighBits);
      if constexpr (kStopAtNonAscii) special |= word & kHighBits;
      if (special != 0) return pos + static_cast<std::size_t>(std::countr_zero(special)) / 8;
    }
  }
  for (; pos < text.size(); ++pos) {
    if (is_json_special<kStopAtNonAscii>(static_cast<unsigned char>(data[pos]))) return pos;
  }
  return pos;
}

// Copies text[pos, special) to `dst` (advanced past it), where special is what
// find_json_special answers, and returns special: the hot loop of unescaping and escaping, with
// no call per run. Stores whole 16-byte chunks, so `dst` needs room for all of text[pos, end).
template <bool kStopAtNonAscii>
std::size_t copy_until_json_special(std::string_view text, std::size_t pos, char*& dst) {
  const char* data = text.data();
#if defined(__SSE2__)
  for (; pos + 16 <= text.size(); pos += 16, dst += 16) {
    const __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(data + pos));
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst), chunk);
    if (const unsigned mask = json_special_mask<kStopAtNonAscii>(chunk)) {
      const auto plain = static_cast<std::size_t>(std::countr_zero(mask));
      dst += plain;
      return pos + plain;
    }
  }
#endif
  for (; pos < text.size(); ++pos) {
    const char c = data[pos];
    if (is_json_special<kStopAtNonAscii>(static_cast<unsigned char>(c))) return pos;
    *dst++ = c;
  }
  return pos;
}

}  // namespace lc
