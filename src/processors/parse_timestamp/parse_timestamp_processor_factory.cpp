#include "processors/parse_timestamp/parse_timestamp_processor_factory.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "processors/common/processor_factory_of.hpp"
#include "processors/parse_timestamp/parse_timestamp_processor.hpp"

namespace lc {
namespace {

std::string describe_parse_timestamp(const ParseTimestampOptions& options) {
  return fmt::format("{} as {} ({})", options.source.text(), fmt::join(options.formats, " | "),
                     options.timezone);
}

}  // namespace

const ProcessorFactory& parse_timestamp_processor_factory() {
  static const ProcessorFactoryOf<ParseTimestampOptions, read_parse_timestamp_options,
                                  ParseTimestampProcessor, describe_parse_timestamp>
      factory("parse_timestamp");
  return factory;
}

}  // namespace lc
