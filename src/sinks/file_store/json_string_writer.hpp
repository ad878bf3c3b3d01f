#pragma once

#include <string>
#include <string_view>

namespace lc {

// Appends `text` to `out` as a JSON string literal, quotes included: '"', '\\' and control
// characters are escaped. JSON is UTF-8, so invalid UTF-8 is repaired: each maximal ill-formed
// subpart becomes U+FFFD (the Unicode recommendation). Returns false when a repair was needed.
bool append_json_string(std::string& out, std::string_view text);

}  // namespace lc
