#include "processors/parse_syslog/parse_syslog_options.hpp"

namespace lc {

void read_parse_syslog_options(YamlSection& item, ParseSyslogOptions& options) {
  read_text_parser_output(item, options.output);
}

}  // namespace lc
