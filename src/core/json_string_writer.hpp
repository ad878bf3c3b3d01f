#pragma once

#include <string>
#include <string_view>

namespace lc {

// Appends `text` to `out` as a JSON string literal, quotes included: '"', '\\' and control
// characters are escaped. JSON is UTF-8, so invalid UTF-8 is repaired: each maximal ill-formed
// subpart becomes U+FFFD (the Unicode recommendation). Returns false when a repair was needed.
// `known_valid_utf8`: the caller vouches for the text (checked on its way in), so it is not
// checked again.
bool append_json_string(std::string& out, std::string_view text, bool known_valid_utf8 = false);

}  // namespace lc
