#include "processors/level/level_options.hpp"

#include "config/yaml_section.hpp"
#include "core/field_path.hpp"
#include "core/level_words.hpp"

namespace lc {
namespace {

ValueProblem check_level_field(std::string_view key) {
  FieldPath path;
  return parse_fields_key(key, path);
}

}  // namespace

void read_level_options(YamlSection& item, LevelOptions& options) {
  item.read_string_list({"fields",
                         "Fields that may hold the level, asked in order: a word (`WARNING`, "
                         "`err`, `crit`) or a syslog (0-7) or Bunyan (10-60) number."},
                        options.fields, check_level_field);
  item.read_bool(
      {"message",
       "When no field holds one, the level the message states: `level=warn`, "
       "`\"level\":\"warn\"`, `[ERROR]`, an upper-case level among its first five "
       "words, glog's `E1205`; a level word inside prose (`no error found`) is not one."},
      options.message);
  item.read_string({"target",
                    "The field written with the level: trace, debug, info, warn, "
                    "error or fatal."},
                   options.target, check_level_field);
  item.read_string({"fallback",
                    "The level of a record that states none (e.g. `info`); empty: the field is "
                    "not written, and the record counted in "
                    "`log_capturer_processor_level_not_found_total`."},
                   options.fallback, [](std::string_view text) -> ValueProblem {
                     const auto level = level_of_word(text);
                     if (level && level_name(*level) == text) return std::nullopt;
                     return "expected trace, debug, info, warn, error or fatal, got \"" +
                            std::string(text) + "\"";
                   });
  if (!item.cataloguing() && options.fields.empty() && !options.message) {
    item.fail("message", "with no fields and message: false there is nowhere to look");
  }
}

}  // namespace lc
