#include "sinks/loki/loki_sink_factory.hpp"

#include "config/options_reading.hpp"
#include "sinks/loki/loki_sink.hpp"
#include "sinks/loki/loki_sink_options.hpp"

namespace lc {
namespace {

class LokiSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "loki"; }
  // sinks.loki has always needed `enabled: true` (an example config lists its keys).
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_loki_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    return std::make_unique<LokiSink>(spec.name, spec.options_as<LokiSinkOptions>(),
                                      context.metrics);
  }
};

}  // namespace

const SinkFactory& loki_sink_factory() {
  static const LokiSinkFactory factory;
  return factory;
}

}  // namespace lc
