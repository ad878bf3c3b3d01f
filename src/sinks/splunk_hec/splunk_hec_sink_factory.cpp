#include "sinks/splunk_hec/splunk_hec_sink_factory.hpp"

#include "config/options_reading.hpp"
#include "sinks/splunk_hec/splunk_hec_sink.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"

namespace lc {
namespace {

class SplunkHecSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "splunk_hec"; }
  // Like sinks.loki and sinks.otlp: the shorthand needs `enabled: true`.
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_splunk_hec_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    return std::make_unique<SplunkHecSink>(spec.name, spec.options_as<SplunkHecSinkOptions>(),
                                           context.metrics);
  }
};

}  // namespace

const SinkFactory& splunk_hec_sink_factory() {
  static const SplunkHecSinkFactory factory;
  return factory;
}

}  // namespace lc
