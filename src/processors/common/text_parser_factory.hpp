#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "config/options_reading.hpp"
#include "processors/processor_factory.hpp"

namespace lc {

// The factory of a parser processor (parse_json, parse_logfmt): its options hold a
// TextParserOutput `output`, and its processor is built from (name, options, metrics).
template <typename Options, void (*kRead)(YamlSection&, Options&), typename ParserProcessor>
class TextParserFactory : public ProcessorFactory {
 public:
  explicit TextParserFactory(std::string_view type) : type_(type) {}

  std::string_view type() const override { return type_; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& item) const override {
    return read_options_with(item, kRead);
  }

  std::unique_ptr<Processor> build(const ProcessorSpec& spec,
                                   ProcessorMetrics& metrics) const override {
    return std::make_unique<ParserProcessor>(spec.name, spec.options_as<Options>(), metrics);
  }

  std::string describe(const ProcessorSpec& spec) const override {
    const auto& output = spec.options_as<Options>().output;
    return std::string(type_) + " " + output.source.text() + " into " + output.target.text();
  }

 private:
  std::string_view type_;
};

}  // namespace lc
