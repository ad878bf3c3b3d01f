#include "sinks/otlp/otlp_sink_factory.hpp"

#include "config/options_reading.hpp"
#include "sinks/otlp/otlp_sink.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"

namespace lc {
namespace {

class OtlpSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "otlp"; }
  // Like sinks.loki and sinks.kafka: the shorthand needs `enabled: true`.
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_otlp_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    return std::make_unique<OtlpSink>(spec.name, spec.options_as<OtlpSinkOptions>(),
                                      context.metrics);
  }
};

}  // namespace

const SinkFactory& otlp_sink_factory() {
  static const OtlpSinkFactory factory;
  return factory;
}

}  // namespace lc
