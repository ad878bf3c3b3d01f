#pragma once

#include "config/component_options.hpp"
#include "processors/common/text_parser_output.hpp"

namespace lc {

class YamlSection;

// processors: - type: parse_logfmt (docs/configuration.md). Parses the message (or a string
// field) as logfmt key=value pairs into the record's fields, as strings.
struct ParseLogfmtOptions : OptionsOf<ParseLogfmtOptions> {
  TextParserOutput output;  // source, target, on_error, error_field

  bool operator==(const ParseLogfmtOptions&) const = default;
};

void read_parse_logfmt_options(YamlSection& item, ParseLogfmtOptions& options);

}  // namespace lc
