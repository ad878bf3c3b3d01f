#include "config/record_selector_reader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <span>

#include "config/yaml_section.hpp"
#include "core/field_path.hpp"
#include "core/user_regex.hpp"

namespace lc {
namespace {

// Input types: "file" is the older name of "files".
constexpr std::array<std::string_view, 3> kSourceTypes{"docker", "files", "file"};
constexpr std::array<std::string_view, 2> kStreamNames{"stdout", "stderr"};

ValueProblem check_one_of(std::string_view value, std::span<const std::string_view> names) {
  if (std::find(names.begin(), names.end(), value) != names.end()) return std::nullopt;
  return fmt::format("expected {}, got {}", describe_choices(names.data(), names.size()),
                     quote_for_message(value));
}

// A `fields:` key: a path below .fields, written without the `.fields.` prefix.
ValueProblem check_field_key(std::string_view key) {
  FieldPath path;
  return parse_fields_key(key, path);
}

}  // namespace

void read_record_selector(YamlSection& section, RecordSelectorConfig& selector) {
  const std::vector<std::string>& inputs = section.input_names();
  section.read_string_list(
      {"sources",
       "Input types, `docker` (container logs, either mode) and `files` (tailed files; `file` is "
       "the same), and/or input names (`inputs.<name>`): a record matches when its input is of a "
       "listed type or has a listed name."},
      selector.sources, [&](std::string_view value) -> ValueProblem {
        if (std::find(kSourceTypes.begin(), kSourceTypes.end(), value) != kSourceTypes.end() ||
            std::find(inputs.begin(), inputs.end(), value) != inputs.end()) {
          return std::nullopt;
        }
        std::vector<std::string_view> choices(kSourceTypes.begin(), kSourceTypes.end() - 1);
        choices.insert(choices.end(), inputs.begin(), inputs.end());
        return fmt::format("expected an input type or name: {}, got {}",
                           describe_choices(choices.data(), choices.size()),
                           quote_for_message(value));
      });
  section.read_string_list(
      {"streams", "`stdout` and/or `stderr` (records of tailed files are `stdout`)."},
      selector.streams, [](std::string_view value) { return check_one_of(value, kStreamNames); });
  section.read_string_list(
      {"container_names",
       "Globs (`fnmatch`) on the container name. Never matches a tailed file's record."},
      selector.container_names);
  section.read_string_list(
      {"images",
       "Globs on the container's image (`nginx:*`). Never matches a tailed file's record."},
      selector.images);
  section.read_string_list({"labels",
                            "`key` or `key=value`: the container's labels, or the labels set in "
                            "`inputs.files.labels` for a tailed file."},
                           selector.labels, check_label_selector);
  section.read_string_list(
      {"files",
       "Globs on a tailed file's path (`*` also matches `/`). Never matches a container's record."},
      selector.files);
  section.read_string(
      {"message",
       "Regex (RE2 syntax: linear time, no lookaround or backreferences) searched in the "
       "message: `^DEBUG`, `GET /health`. Costs per record; the keys above are decided once per "
       "group of records from one source."},
      selector.message, check_user_regex);
  section.read_string_list_map(
      {"fields",
       "Structured fields and the values they must have, `{level: [error, fatal], "
       "http.status: 500}`: a path below `.fields` to a value or a list of values, compared as "
       "text. Every listed field must match; an absent field does not."},
      selector.fields, check_field_key);
}

}  // namespace lc
