#include "processors/parse_regex/parse_regex_processor_factory.hpp"

#include "processors/common/text_parser_factory.hpp"
#include "processors/parse_regex/parse_regex_processor.hpp"

namespace lc {

const ProcessorFactory& parse_regex_processor_factory() {
  static const TextParserFactory<ParseRegexOptions, read_parse_regex_options, ParseRegexProcessor>
      factory("parse_regex");
  return factory;
}

}  // namespace lc
