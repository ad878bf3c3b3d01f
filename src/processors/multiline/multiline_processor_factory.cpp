#include "processors/multiline/multiline_processor_factory.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <stdexcept>

#include "config/options_reading.hpp"
#include "processors/multiline/multiline_options.hpp"
#include "processors/processor_factory.hpp"

namespace lc {
namespace {

class MultilineProcessorFactory : public ProcessorFactory {
 public:
  std::string_view type() const override { return "multiline"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, read_multiline_options);
  }

  bool runs_in_inputs() const override { return true; }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec, ProcessorMetrics&) const override {
    throw std::logic_error("processor " + spec.name + ": multiline is joined in the inputs");
  }

  std::string describe(const ProcessorSpec& spec) const override {
    const auto& options = spec.options_as<MultilineOptions>();
    std::vector<std::string> parts;
    if (!options.rules.presets.empty()) {
      parts.push_back(fmt::format("presets {}", fmt::join(options.rules.presets, ",")));
    }
    if (!options.rules.start.empty()) parts.push_back("start /" + options.rules.start + "/");
    if (!options.rules.continue_pattern.empty()) {
      parts.push_back("continue /" + options.rules.continue_pattern + "/");
    }
    return fmt::format("multiline {} (in the inputs, per stream; {} lines, {} ms)",
                       fmt::join(parts, " "), options.max_lines, options.flush_timeout.count());
  }
};

}  // namespace

const ProcessorFactory& multiline_processor_factory() {
  static const MultilineProcessorFactory factory;
  return factory;
}

}  // namespace lc
