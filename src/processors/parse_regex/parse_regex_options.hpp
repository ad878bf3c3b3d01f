#pragma once

#include <string>
#include <utility>
#include <vector>

#include "config/component_options.hpp"
#include "processors/common/text_parser_output.hpp"
#include "processors/parse_regex/capture_type.hpp"

namespace lc {

class YamlSection;

// processors: - type: parse_regex (docs/configuration.md). The named captures of a pattern
// (or a preset's) become fields, typed per `types`.
struct ParseRegexOptions : OptionsOf<ParseRegexOptions> {
  TextParserOutput output;  // source, target, on_error, error_field
  std::string pattern;      // RE2, with named captures; or empty when preset is set
  std::string preset;       // regex_presets(): the pattern and its types
  // Capture name -> type: the preset's, then the file's (which win).
  std::vector<std::pair<std::string, CaptureType>> types;

  bool operator==(const ParseRegexOptions&) const = default;
  // The pattern to compile: `pattern`, or the preset's.
  std::string effective_pattern() const;
};

void read_parse_regex_options(YamlSection& item, ParseRegexOptions& options);

}  // namespace lc
