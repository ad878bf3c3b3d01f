#include "processors/sample/sample_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/sample/sample_processor.hpp"

namespace lc {
namespace {

std::string describe_sample(const SampleOptions& options) {
  return "1 in " + std::to_string(options.rate) + " per key \"" + options.key.key + "\"" +
         (options.always_keep ? " (always_keep)" : "");
}

}  // namespace

const ProcessorFactory& sample_processor_factory() {
  static const ProcessorFactoryOf<SampleOptions, read_sample_options, SampleProcessor,
                                  describe_sample>
      factory("sample");
  return factory;
}

}  // namespace lc
