#pragma once

#include <string>

#include "core/field_path.hpp"

namespace lc {

class YamlSection;

// What every parser processor shares (parse_json, parse_logfmt): where its text is, where the
// fields it finds go, and what happens to a record it cannot parse.
struct TextParserOutput {
  FieldPath source{FieldPath::Root::kMessage, {}};  // .message, or a field holding text
  // `.fields` merges a map's keys into the fields; a deeper path takes any value.
  FieldPath target{FieldPath::Root::kFields, {}};
  // A source the parser cannot read: the record passes unchanged (keep), is dropped (drop), or
  // passes with `error_field` saying why (flag). Counted in errors_total either way.
  enum class OnError { kKeep, kDrop, kFlag };
  OnError on_error = OnError::kKeep;
  std::string error_field = "parse_error";

  bool operator==(const TextParserOutput&) const = default;
};

// The keys above, with their checks.
void read_text_parser_output(YamlSection& item, TextParserOutput& output);

}  // namespace lc
