#include "processors/parse_logfmt/parse_logfmt_processor_factory.hpp"

#include "config/options_reading.hpp"
#include "processors/parse_logfmt/parse_logfmt_processor.hpp"

namespace lc {
namespace {

class ParseLogfmtProcessorFactory : public ProcessorFactory {
 public:
  std::string_view type() const override { return "parse_logfmt"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, read_parse_logfmt_options);
  }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec,
                                   ProcessorMetrics& metrics) const override {
    return std::make_unique<ParseLogfmtProcessor>(spec.name, spec.options_as<ParseLogfmtOptions>(),
                                                  metrics);
  }

  std::string describe(const ProcessorSpec& spec) const override {
    const auto& options = spec.options_as<ParseLogfmtOptions>();
    return "parse_logfmt " + options.output.source.text() + " into " + options.output.target.text();
  }
};

}  // namespace

const ProcessorFactory& parse_logfmt_processor_factory() {
  static const ParseLogfmtProcessorFactory factory;
  return factory;
}

}  // namespace lc
