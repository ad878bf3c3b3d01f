#include "processors/fields/fields_options.hpp"

#include <algorithm>
#include <array>

#include "config/yaml_section.hpp"
#include "core/field_path.hpp"
#include "core/record_template.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<FieldsOptions::MessageFormat>, 3> kMessageFormats{{
    {"unchanged", FieldsOptions::MessageFormat::kUnchanged},
    {"json", FieldsOptions::MessageFormat::kJson},
    {"logfmt", FieldsOptions::MessageFormat::kLogfmt},
}};

constexpr std::array<std::string_view, 8> kOperations{
    "from_labels", "copy", "rename", "set", "add", "remove", "keep", "to_message"};

ValueProblem check_field(std::string_view key) {
  FieldPath path;
  return parse_fields_key(key, path);
}

ValueProblem check_template(std::string_view text) {
  RecordTemplate parsed;
  return RecordTemplate::parse(text, parsed);
}

}  // namespace

void read_fields_options(YamlSection& item, FieldsOptions& options) {
  item.read_string_map({"from_labels",
                        "Container labels (or a tailed file's `labels`) to fields, "
                        "`{com.example.team: team}`; an absent label sets nothing."},
                       options.from_labels, {}, check_field);
  item.read_string_map({"copy", "Field to field, `{level: severity}`; the source stays."},
                       options.copy, check_field, check_field);
  item.read_string_map({"rename", "Field to field, `{msg: message_text}`: moved, where present."},
                       options.rename, check_field, check_field);
  for (const auto& [from, to] : options.rename) {
    FieldPath source, target;
    parse_fields_key(from, source);
    parse_fields_key(to, target);
    const auto& shorter = source.segments.size() < target.segments.size() ? source : target;
    const auto& longer = &shorter == &source ? target : source;
    if (std::equal(shorter.segments.begin(), shorter.segments.end(), longer.segments.begin())) {
      item.fail("rename", from + " -> " + to + ": one is inside the other");
    }
  }
  item.read_string_map(
      {"set",
       "Field to a template, always written: `{env: prod, origin: \"{{ .container_name }}\"}` "
       "(docs/fields.md, templates). The value is a string."},
      options.set, check_field, check_template);
  item.read_string_map({"add", "Like `set`, but only where the field is absent."}, options.add,
                       check_field, check_template);
  item.read_string_list({"remove", "Fields to remove, `[password, http.headers]`."}, options.remove,
                        check_field);
  item.read_string_list({"keep",
                         "The only fields to keep (after the operations above), "
                         "`[level, msg, http.status]`; absent: all of them."},
                        options.keep, check_field);
  item.read_enum<FieldsOptions::MessageFormat>(
      {"to_message",
       "Re-render the message from the fields, last: `json` (an object) or `logfmt` "
       "(`key=value`, nested keys joined with dots); `unchanged` leaves it. A record without "
       "fields keeps its message."},
      options.to_message, kMessageFormats);
  if (item.cataloguing()) return;
  // Written, even if wrong (that key has its own error): an operation was meant.
  const bool any = std::any_of(kOperations.begin(), kOperations.end(),
                               [&](std::string_view key) { return item.has(key); });
  if (!any) {
    item.fail("type",
              "a fields processor needs an operation: from_labels, copy, rename, set, add, "
              "remove, keep or to_message");
  }
}

}  // namespace lc
