#pragma once

#include <string>
#include <string_view>

namespace lc {

// Backends store text (Loki, OTLP): protobuf `string` fields and JSON must be UTF-8, and a
// container may print anything. Returns `text` itself when it is valid UTF-8 (the common case,
// checked with simdjson's SIMD validator); otherwise a copy in `scratch` in which each maximal
// ill-formed subsequence is replaced by U+FFFD (the Unicode recommendation, as the file store
// does).
std::string_view as_valid_utf8(std::string_view text, std::string& scratch);

}  // namespace lc
