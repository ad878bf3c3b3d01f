#include "processors/parse_regex/parse_regex_options.hpp"

#include <re2/re2.h>

#include <algorithm>

#include "config/yaml_section.hpp"
#include "core/user_regex.hpp"
#include "processors/parse_regex/regex_presets.hpp"

namespace lc {
namespace {

std::string preset_names() {
  std::string names;
  for (const RegexPreset& preset : regex_presets()) {
    if (!names.empty()) names += ", ";
    names += preset.name;
  }
  return names;
}

void set_type(std::vector<std::pair<std::string, CaptureType>>& types, const std::string& name,
              CaptureType type) {
  auto it = std::find_if(types.begin(), types.end(),
                         [&](const auto& entry) { return entry.first == name; });
  if (it == types.end()) {
    types.emplace_back(name, type);
  } else {
    it->second = type;
  }
}

// The pattern must compile, and every name in `types` must be one of its captures.
void check_pattern(YamlSection& item, const ParseRegexOptions& options,
                   const YamlSection::StringMap& written_types) {
  std::string problem;
  const std::string pattern = options.effective_pattern();
  auto regex = UserRegex::compile(pattern, problem);
  if (!regex) return item.fail("pattern", problem);
  const auto& names = regex->engine().NamedCapturingGroups();
  if (names.empty()) return item.fail("pattern", "has no named capture, such as (?<status>\\d+)");
  for (const auto& [name, type] : written_types) {
    if (names.count(name) == 0) {
      item.fail("types", "\"" + name + "\" is not a named capture of the pattern");
    }
  }
}

}  // namespace

std::string ParseRegexOptions::effective_pattern() const {
  if (!preset.empty()) {
    if (const RegexPreset* found = find_regex_preset(preset)) return std::string(found->pattern);
  }
  return pattern;
}

void read_parse_regex_options(YamlSection& item, ParseRegexOptions& options) {
  read_text_parser_output(item, options.output);
  item.read_string({"pattern",
                    "Regex (RE2 syntax) whose named captures, `(?<name>...)` or "
                    "`(?P<name>...)`, become fields; searched anywhere in the text unless "
                    "anchored with `^`. Either this or `preset`."},
                   options.pattern);
  item.read_string({"preset", "A ready-made pattern instead of `pattern`: " + preset_names() +
                                  " (docs/configuration.md lists their fields)."},
                   options.preset, [](std::string_view name) -> ValueProblem {
                     if (find_regex_preset(name) != nullptr) return std::nullopt;
                     return "unknown preset \"" + std::string(name) +
                            "\"; known: " + preset_names();
                   });
  YamlSection::StringMap written_types;
  item.read_string_map(
      {"types",
       "Capture name to type: `string` (the default), `int`, `float` or `bool`, "
       "`{status: int, duration: float}`. A capture that is not of its type is a parse error."},
      written_types, {}, [](std::string_view type) -> ValueProblem {
        if (capture_type_named(type)) return std::nullopt;
        return "expected string, int, float or bool, got \"" + std::string(type) + "\"";
      });
  if (item.cataloguing() || item.failed("preset") || item.failed("types")) return;
  if (options.pattern.empty() == options.preset.empty()) {
    return item.fail("pattern", "set either pattern or preset");
  }
  options.types.clear();
  if (const RegexPreset* preset = find_regex_preset(options.preset)) {
    for (const auto& [name, type] : preset_capture_types(*preset)) {
      set_type(options.types, name, type);
    }
  }
  for (const auto& [name, type] : written_types) {
    set_type(options.types, name, *capture_type_named(type));
  }
  check_pattern(item, options, written_types);
}

}  // namespace lc
