#include "processors/dedup/dedup_options.hpp"

#include "config/yaml_section.hpp"
#include "core/field_path.hpp"

namespace lc {

void read_dedup_options(YamlSection& item, DedupOptions& options) {
  item.read_string_list({"fields",
                         "The paths whose values make two records the same (docs/fields.md): "
                         "`[.container_name, .fields.error_code]`. The default: one source's "
                         "equal messages."},
                        options.fields, [](std::string_view text) {
                          FieldPath path;
                          return parse_field_path(text, path);
                        });
  item.read_duration({"window",
                      "A record equal to one passed less than this ago is dropped; the first "
                      "after the window passes again (so a repeating line still shows)."},
                     options.window);
  if (options.window > std::chrono::hours(24 * 365)) item.fail("window", "must be at most a year");
  item.read_count(
      {"max_entries", "Records remembered at most; one more forgets the least recently seen."},
      options.max_entries);
}

}  // namespace lc
