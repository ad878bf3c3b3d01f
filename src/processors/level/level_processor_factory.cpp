#include "processors/level/level_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/level/level_processor.hpp"

namespace lc {
namespace {

std::string describe_level(const LevelOptions& options) {
  return "into ." + options.target + (options.message ? " (fields, then the message)" : "");
}

}  // namespace

const ProcessorFactory& level_processor_factory() {
  static const ProcessorFactoryOf<LevelOptions, read_level_options, LevelProcessor, describe_level>
      factory("level");
  return factory;
}

}  // namespace lc
