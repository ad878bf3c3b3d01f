#include "processors/throttle/throttle_processor_factory.hpp"

#include <fmt/format.h>

#include "processors/common/processor_factory_of.hpp"
#include "processors/throttle/throttle_processor.hpp"

namespace lc {
namespace {

std::string describe_throttle(const ThrottleOptions& options) {
  return fmt::format("{}/s burst {} per key \"{}\"", options.rate,
                     options.burst == 0 ? options.rate : options.burst, options.key.key);
}

}  // namespace

const ProcessorFactory& throttle_processor_factory() {
  static const ProcessorFactoryOf<ThrottleOptions, read_throttle_options, ThrottleProcessor,
                                  describe_throttle>
      factory("throttle");
  return factory;
}

}  // namespace lc
