#pragma once

#include <span>
#include <string_view>

namespace lc {

// One pattern of a redact preset (a preset may have several). Where the pattern has captures
// named `secret...`, only the one that matched is replaced (`password=` stays, what follows
// goes).
struct RedactPattern {
  std::string_view preset;
  std::string_view pattern;  // RE2
  bool luhn = false;         // a match counts only when its digits pass the Luhn check
};

std::span<const RedactPattern> redact_patterns();
// Whether `name` names a preset.
bool is_redact_preset(std::string_view name);
// The preset names, comma-separated, for messages and the docs.
std::string_view redact_preset_names();

}  // namespace lc
