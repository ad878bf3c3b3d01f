#pragma once

#include <string>
#include <vector>

#include "config/component_options.hpp"
#include "core/field_path.hpp"
#include "processors/common/text_parser_output.hpp"

namespace lc {

class YamlSection;

// processors: - type: parse_timestamp (docs/configuration.md): the record's event time from a
// field (or the message), in the first of `formats` that reads it.
struct ParseTimestampOptions : OptionsOf<ParseTimestampOptions> {
  FieldPath source = checked_fields_key("time");
  std::vector<std::string> formats{"rfc3339"};
  std::string timezone = "UTC";  // for times that state no offset
  bool remove_source = false;    // drop the source field once read
  TextParserOutput::OnError on_error = TextParserOutput::OnError::kKeep;
  std::string error_field = "parse_error";

  bool operator==(const ParseTimestampOptions&) const = default;
};

void read_parse_timestamp_options(YamlSection& item, ParseTimestampOptions& options);

}  // namespace lc
