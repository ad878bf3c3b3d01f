#include "processors/parse_json/parse_json_processor_factory.hpp"

#include "processors/common/text_parser_factory.hpp"
#include "processors/parse_json/parse_json_processor.hpp"

namespace lc {

const ProcessorFactory& parse_json_processor_factory() {
  static const TextParserFactory<ParseJsonOptions, read_parse_json_options, ParseJsonProcessor>
      factory("parse_json");
  return factory;
}

}  // namespace lc
