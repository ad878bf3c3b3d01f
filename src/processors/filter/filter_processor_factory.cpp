#include "processors/filter/filter_processor_factory.hpp"

#include "processors/filter/filter_options.hpp"
#include "processors/filter/filter_processor.hpp"

namespace lc {
namespace {

class FilterProcessorFactory : public ProcessorFactory {
 public:
  std::string_view type() const override { return "filter"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    auto options = std::make_shared<FilterOptions>();
    read_filter_options(item, *options);
    return options;
  }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec) const override {
    return std::make_unique<FilterProcessor>(spec.name, spec.options_as<FilterOptions>());
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
