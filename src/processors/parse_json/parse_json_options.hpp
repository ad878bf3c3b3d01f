#pragma once

#include <cstdint>

#include "config/component_options.hpp"
#include "processors/common/text_parser_output.hpp"

namespace lc {

class YamlSection;

// processors: - type: parse_json (docs/configuration.md). Parses the message (or a string
// field) as JSON into the record's fields.
struct ParseJsonOptions : OptionsOf<ParseJsonOptions> {
  TextParserOutput output;       // source, target, on_error, error_field
  std::uint32_t max_depth = 64;  // deeper nesting is an error, bounding the work per line

  bool operator==(const ParseJsonOptions&) const = default;
};

void read_parse_json_options(YamlSection& item, ParseJsonOptions& options);

}  // namespace lc
