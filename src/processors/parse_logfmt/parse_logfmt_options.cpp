#include "processors/parse_logfmt/parse_logfmt_options.hpp"

namespace lc {

void read_parse_logfmt_options(YamlSection& item, ParseLogfmtOptions& options) {
  read_text_parser_output(item, options.output);
}

}  // namespace lc
