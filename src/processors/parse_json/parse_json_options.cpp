#include "processors/parse_json/parse_json_options.hpp"

#include "config/yaml_section.hpp"

namespace lc {

void read_parse_json_options(YamlSection& item, ParseJsonOptions& options) {
  read_text_parser_output(item, options.output);
  item.read_count({"max_depth",
                   "Nesting deeper than this is an error (bounds the work on a hostile line); at "
                   "most 512."},
                  options.max_depth);
  if (options.max_depth > 512) item.fail("max_depth", "must be at most 512");
}

}  // namespace lc
