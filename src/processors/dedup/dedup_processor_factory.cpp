#include "processors/dedup/dedup_processor_factory.hpp"

#include "processors/common/processor_factory_of.hpp"
#include "processors/dedup/dedup_processor.hpp"

namespace lc {
namespace {

std::string describe_dedup(const DedupOptions& options) {
  std::string paths;
  for (const std::string& path : options.fields) paths += (paths.empty() ? "" : ", ") + path;
  return "on [" + paths + "] within " + std::to_string(options.window.count()) + "ms";
}

}  // namespace

const ProcessorFactory& dedup_processor_factory() {
  static const ProcessorFactoryOf<DedupOptions, read_dedup_options, DedupProcessor, describe_dedup>
      factory("dedup");
  return factory;
}

}  // namespace lc
