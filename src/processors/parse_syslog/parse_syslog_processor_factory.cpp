#include "processors/parse_syslog/parse_syslog_processor_factory.hpp"

#include "processors/common/text_parser_factory.hpp"
#include "processors/parse_syslog/parse_syslog_processor.hpp"

namespace lc {

const ProcessorFactory& parse_syslog_processor_factory() {
  static const TextParserFactory<ParseSyslogOptions, read_parse_syslog_options,
                                 ParseSyslogProcessor>
      factory("parse_syslog");
  return factory;
}

}  // namespace lc
