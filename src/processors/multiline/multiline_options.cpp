#include "processors/multiline/multiline_options.hpp"

#include "config/config_value_checks.hpp"
#include "config/yaml_section.hpp"
#include "core/user_regex.hpp"
#include "processors/multiline/multiline_presets.hpp"

namespace lc {
namespace {

ValueProblem check_preset(std::string_view name) {
  if (!multiline::preset_rules(name).empty()) return std::nullopt;
  return "unknown preset \"" + std::string(name) + "\" (known: " + multiline::preset_names() + ")";
}

}  // namespace

void read_multiline_options(YamlSection& item, MultilineOptions& options) {
  item.read_string_list({"presets",
                         "Stack-trace shapes to join: `java`, `python`, `go`, `ruby`, `dotnet` "
                         "(any of them at once)."},
                        options.rules.presets, check_preset);
  item.read_string({"start",
                    "Regex (RE2): a line in which it is found opens a record. Without "
                    "`continue`, every other line continues the record before it."},
                   options.rules.start, check_user_regex);
  item.read_string({"continue",
                    "Regex (RE2): a line in which it is found continues the open record. "
                    "Without `start`, every other line opens a record."},
                   options.rules.continue_pattern, check_user_regex);
  item.read_count({"max_lines",
                   "Lines in one record at most: the record goes out flagged `truncated`, and the "
                   "next line is read as if no record were open (nothing is dropped)."},
                  options.max_lines);
  item.read_byte_size({"max_bytes", "Bytes in one record at most; likewise."}, options.max_bytes);
  item.read_duration({"flush_timeout",
                      "An open record is delivered after this long without a line (a container "
                      "line more than this after the record's last one opens a new record)."},
                     options.flush_timeout);
  // A pattern or preset written but refused has been reported already.
  if (item.cataloguing() || !options.rules.empty() || item.has("presets") || item.has("start") ||
      item.has("continue")) {
    return;
  }
  item.fail("presets",
            "a multiline processor needs presets, a start pattern or a continue pattern");
}

}  // namespace lc
