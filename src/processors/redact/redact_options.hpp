#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: redact (docs/configuration.md). Replaces secrets found by presets and
// custom patterns in the message and chosen fields.
struct RedactOptions : OptionsOf<RedactOptions> {
  std::vector<std::string> presets;                           // redact_patterns() names, or "all"
  std::vector<std::pair<std::string, std::string>> patterns;  // name -> RE2 pattern
  std::string replace = "[REDACTED]";                         // mask | hash | a text
  std::string hash_key;                                       // for replace: hash
  bool message = true;                                        // redact the message
  std::vector<std::string> fields;  // fields to redact (strings within, at any depth)

  bool operator==(const RedactOptions&) const = default;
};

void read_redact_options(YamlSection& item, RedactOptions& options);

}  // namespace lc
