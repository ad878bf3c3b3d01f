#include "processors/filter/filter_processor_factory.hpp"

#include "config/options_reading.hpp"
#include "processors/filter/filter_options.hpp"
#include "processors/filter/filter_processor.hpp"

namespace lc {
namespace {

class FilterProcessorFactory : public ProcessorFactory {
 public:
  std::string_view type() const override { return "filter"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, read_filter_options);
  }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec,
                                   ProcessorMetrics& metrics) const override {
    return std::make_unique<FilterProcessor>(spec.name, spec.options_as<FilterOptions>(),
                                             &metrics.dropped);
  }

  std::string describe(const ProcessorSpec& spec) const override {
    const auto& options = spec.options_as<FilterOptions>();
    return std::string("filter") + (options.include ? " (include)" : "") +
           (options.exclude ? " (exclude)" : "");
  }
};

}  // namespace

const ProcessorFactory& filter_processor_factory() {
  static const FilterProcessorFactory factory;
  return factory;
}

}  // namespace lc
