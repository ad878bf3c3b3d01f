#include "processors/parse_logfmt/parse_logfmt_processor_factory.hpp"

#include "processors/common/text_parser_factory.hpp"
#include "processors/parse_logfmt/parse_logfmt_processor.hpp"

namespace lc {

const ProcessorFactory& parse_logfmt_processor_factory() {
  static const TextParserFactory<ParseLogfmtOptions, read_parse_logfmt_options,
                                 ParseLogfmtProcessor>
      factory("parse_logfmt");
  return factory;
}

}  // namespace lc
