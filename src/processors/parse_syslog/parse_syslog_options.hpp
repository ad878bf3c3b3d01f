#pragma once

#include "config/component_options.hpp"
#include "processors/common/text_parser_output.hpp"

namespace lc {

class YamlSection;

// processors: - type: parse_syslog (docs/configuration.md). Parses RFC 5424 and RFC 3164 lines
// into the record's fields.
struct ParseSyslogOptions : OptionsOf<ParseSyslogOptions> {
  TextParserOutput output;  // source, target, on_error, error_field

  bool operator==(const ParseSyslogOptions&) const = default;
};

void read_parse_syslog_options(YamlSection& item, ParseSyslogOptions& options);

}  // namespace lc
