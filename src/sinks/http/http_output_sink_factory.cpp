#include "sinks/http/http_output_sink_factory.hpp"

#include "config/options_reading.hpp"
#include "sinks/http/http_output_options.hpp"
#include "sinks/http/http_output_sink.hpp"

namespace lc {
namespace {

class HttpOutputSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "http"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_http_output_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    return std::make_unique<HttpOutputSink>(spec.name, spec.options_as<HttpOutputOptions>(),
                                            context.metrics);
  }
};

}  // namespace

const SinkFactory& http_output_sink_factory() {
  static const HttpOutputSinkFactory factory;
  return factory;
}

}  // namespace lc
