#pragma once

#include <cstddef>
#include <string_view>

namespace lc {

// U+FFFD, what an ill-formed UTF-8 subsequence is replaced with.
inline constexpr std::string_view kUtf8ReplacementCharacter = "\xEF\xBF\xBD";

// Length of the well-formed UTF-8 sequence at text[pos] (Unicode table 3-7), or 0 when it is
// ill-formed; then `bad_length` (at least 1) is the maximal subpart to replace with U+FFFD
// (the Unicode recommendation). pos < text.size().
std::size_t utf8_sequence_length(std::string_view text, std::size_t pos, std::size_t& bad_length);

}  // namespace lc
