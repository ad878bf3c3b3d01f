#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/options_reading.hpp"
#include "processors/processor_factory.hpp"

namespace lc {

// The factory of a processor type whose options are read by `kRead`, whose processor is built
// from (name, options, metrics) and described by `kDescribe` (after the type name).
template <typename Options, void (*kRead)(YamlSection&, Options&), typename ProcessorType,
          std::string (*kDescribe)(const Options&)>
class ProcessorFactoryOf : public ProcessorFactory {
 public:
  explicit ProcessorFactoryOf(std::string_view type) : type_(type) {}

  std::string_view type() const override { return type_; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, kRead);
  }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec,
                                   ProcessorMetrics& metrics) const override {
    return std::make_unique<ProcessorType>(spec.name, spec.options_as<Options>(), metrics);
  }

  std::string describe(const ProcessorSpec& spec) const override {
    return std::string(type_) + " " + kDescribe(spec.options_as<Options>());
  }

 private:
  std::string_view type_;
};

}  // namespace lc
