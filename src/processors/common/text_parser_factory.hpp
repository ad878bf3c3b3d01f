#pragma once

#include <string>

#include "processors/common/processor_factory_of.hpp"

namespace lc {

// "<source> into <target>", for a parser's start-up line.
template <typename Options>
std::string describe_text_parser(const Options& options) {
  return options.output.source.text() + " into " + options.output.target.text();
}

// The factory of a parser processor (parse_json, parse_logfmt, parse_regex): its options hold
// a TextParserOutput `output`.
template <typename Options, void (*kRead)(YamlSection&, Options&), typename ParserProcessor>
using TextParserFactory =
    ProcessorFactoryOf<Options, kRead, ParserProcessor, describe_text_parser<Options>>;

}  // namespace lc
