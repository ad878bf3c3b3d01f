#include "sinks/elasticsearch/elasticsearch_sink_factory.hpp"

#include "config/options_reading.hpp"
#include "sinks/elasticsearch/elasticsearch_sink.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"

namespace lc {
namespace {

class ElasticsearchSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "elasticsearch"; }
  // Like sinks.loki and sinks.otlp: the shorthand needs `enabled: true`.
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_elasticsearch_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    return std::make_unique<ElasticsearchSink>(
        spec.name, spec.options_as<ElasticsearchSinkOptions>(), context.metrics);
  }
};

}  // namespace

const SinkFactory& elasticsearch_sink_factory() {
  static const ElasticsearchSinkFactory factory;
  return factory;
}

}  // namespace lc
