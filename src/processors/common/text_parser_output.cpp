#include "processors/common/text_parser_output.hpp"

#include <array>
#include <functional>
#include <optional>
#include <variant>

#include "config/yaml_section.hpp"

namespace lc {

namespace {

constexpr std::array<EnumChoice<TextParserOutput::OnError>, 3> kOnErrorChoices{{
    {"keep", TextParserOutput::OnError::kKeep},
    {"drop", TextParserOutput::OnError::kDrop},
    {"flag", TextParserOutput::OnError::kFlag},
}};

// A path key: read as text, parsed, kept when it names what `allowed` accepts.
void read_path(YamlSection& item, const ConfigKey& key, FieldPath& path,
               const std::function<std::optional<std::string>(const FieldPath&)>& allowed) {
  std::string text = path.text();
  item.read_string(key, text);
  FieldPath parsed;
  if (auto problem = parse_field_path(text, parsed)) return item.fail(key.name, *problem);
  if (auto problem = allowed(parsed)) return item.fail(key.name, *problem);
  path = std::move(parsed);
}

bool names_keys_only(const FieldPath& path) {
  for (const FieldPath::Segment& segment : path.segments) {
    if (!std::holds_alternative<std::string>(segment)) return false;
  }
  return true;
}

}  // namespace

void read_parse_source(YamlSection& item, const ConfigKey& key, FieldPath& source) {
  read_path(item, key, source, [](const FieldPath& path) -> std::optional<std::string> {
    if (path.root == FieldPath::Root::kMessage && path.segments.empty()) return std::nullopt;
    if (path.root == FieldPath::Root::kFields && !path.segments.empty()) return std::nullopt;
    return "must be .message or a field (.fields.<key>...)";
  });
}

void read_on_error(YamlSection& item, TextParserOutput::OnError& on_error,
                   std::string& error_field) {
  item.read_enum<TextParserOutput::OnError>(
      {"on_error",
       "A source the parser cannot read (not JSON for `parse_json`, no `key=value` for "
       "`parse_logfmt`, no match or a capture not of its type for `parse_regex`, no time in "
       "any of the formats for `parse_timestamp`): `keep` passes the record unchanged, `drop` "
       "drops it, `flag` passes it with `error_field` set to why. Counted in "
       "`log_capturer_processor_errors_total` either way."},
      on_error, kOnErrorChoices);
  item.read_string(
      {"error_field", "The field `on_error: flag` sets (a key directly under `.fields`)."},
      error_field);
  if (error_field.empty()) item.fail("error_field", "must not be empty");
}

void read_text_parser_output(YamlSection& item, TextParserOutput& output) {
  read_parse_source(
      item,
      {"source", "Where the text to parse is: `.message`, or a field holding a string.",
       ".message"},
      output.source);
  read_path(item,
            {"target",
             "Where the parsed value goes: `.fields` merges its keys into the fields (a key "
             "already there is replaced); `.fields.<key>...` takes the whole value.",
             ".fields"},
            output.target, [](const FieldPath& path) -> std::optional<std::string> {
              if (path.root != FieldPath::Root::kFields || !names_keys_only(path)) {
                return "must be .fields or a field below it named by keys (.fields.a.b)";
              }
              return std::nullopt;
            });
  read_on_error(item, output.on_error, output.error_field);
}

}  // namespace lc
