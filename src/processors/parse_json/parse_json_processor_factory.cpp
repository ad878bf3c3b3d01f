#include "processors/parse_json/parse_json_processor_factory.hpp"

#include "config/options_reading.hpp"
#include "processors/parse_json/parse_json_processor.hpp"

namespace lc {
namespace {

class ParseJsonProcessorFactory : public ProcessorFactory {
 public:
  std::string_view type() const override { return "parse_json"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, read_parse_json_options);
  }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec,
                                   ProcessorMetrics& metrics) const override {
    return std::make_unique<ParseJsonProcessor>(spec.name, spec.options_as<ParseJsonOptions>(),
                                                metrics);
  }

  std::string describe(const ProcessorSpec& spec) const override {
    const auto& options = spec.options_as<ParseJsonOptions>();
    return "parse_json " + options.output.source.text() + " into " + options.output.target.text();
  }
};

}  // namespace

const ProcessorFactory& parse_json_processor_factory() {
  static const ParseJsonProcessorFactory factory;
  return factory;
}

}  // namespace lc
