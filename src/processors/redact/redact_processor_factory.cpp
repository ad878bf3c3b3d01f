#include "processors/redact/redact_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/redact/redact_processor.hpp"

namespace lc {
namespace {

std::string describe_redact(const RedactOptions& options) {
  std::string presets;
  for (const std::string& preset : options.presets)
    presets += (presets.empty() ? "" : ",") + preset;
  return "presets [" + presets + "], " + std::to_string(options.patterns.size()) +
         " custom pattern(s), replace " + (options.replace == "hash" ? "hash" : options.replace);
}

}  // namespace

const ProcessorFactory& redact_processor_factory() {
  static const ProcessorFactoryOf<RedactOptions, read_redact_options, RedactProcessor,
                                  describe_redact>
      factory("redact");
  return factory;
}

}  // namespace lc
