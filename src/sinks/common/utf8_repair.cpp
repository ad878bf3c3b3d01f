#include "sinks/common/utf8_repair.hpp"

#include <simdjson.h>

#include "core/utf8.hpp"

namespace lc {

std::string_view as_valid_utf8(std::string_view text, std::string& scratch) {
  if (simdjson::validate_utf8(text.data(), text.size())) [[likely]] {
    return text;
  }
  scratch.clear();
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t bad_length = 0;
    const std::size_t length = utf8_sequence_length(text, pos, bad_length);
    if (length == 0) {
      scratch += kUtf8ReplacementCharacter;
      pos += bad_length;
    } else {
      scratch.append(text.data() + pos, length);
      pos += length;
    }
  }
  return scratch;
}

}  // namespace lc
