#pragma once

#include <cstdint>
#include <string>

#include "config/component_options.hpp"
#include "core/field_path.hpp"

namespace lc {

class YamlSection;

// processors: - type: parse_json (docs/configuration.md). Parses the message (or a string
// field) as JSON into the record's fields.
struct ParseJsonOptions : OptionsOf<ParseJsonOptions> {
  FieldPath source{FieldPath::Root::kMessage, {}};  // .message, or a field holding text
  // Where the value goes: `.fields` merges an object's keys into the fields; a deeper path
  // takes any JSON value.
  FieldPath target{FieldPath::Root::kFields, {}};
  // A source that is not JSON (or not an object for a merge): the record passes unchanged
  // (keep), is dropped (drop), or passes with `error_field` saying why (flag). Counted in
  // log_capturer_processor_errors_total either way.
  enum class OnError { kKeep, kDrop, kFlag };
  OnError on_error = OnError::kKeep;
  std::string error_field = "parse_error";
  std::uint32_t max_depth = 64;  // deeper nesting is an error, bounding the work per line

  bool operator==(const ParseJsonOptions&) const = default;
};

void read_parse_json_options(YamlSection& item, ParseJsonOptions& options);

}  // namespace lc
