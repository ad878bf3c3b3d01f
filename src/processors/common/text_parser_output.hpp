#pragma once

#include <string>

#include "core/field_path.hpp"

namespace lc {

class YamlSection;
struct ConfigKey;

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

// Parts of it, for processors that write elsewhere (parse_timestamp sets the event time).
// `source`: .message or a field (a key's help and default come with `key`).
void read_parse_source(YamlSection& item, const ConfigKey& key, FieldPath& source);
// `on_error` and `error_field`.
void read_on_error(YamlSection& item, TextParserOutput::OnError& on_error,
                   std::string& error_field);

}  // namespace lc
