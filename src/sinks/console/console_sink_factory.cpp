#include "sinks/console/console_sink_factory.hpp"

#include <unistd.h>

#include "config/options_reading.hpp"
#include "sinks/console/console_sink.hpp"
#include "sinks/console/console_sink_options.hpp"

namespace lc {
namespace {

class ConsoleSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "console"; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_console_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    const auto& options = spec.options_as<ConsoleSinkOptions>();
    const int fd =
        options.stream == ConsoleSinkOptions::Stream::kStdout ? STDOUT_FILENO : STDERR_FILENO;
    return std::make_unique<ConsoleSink>(spec.name, options, fd, context.metrics);
  }
};

}  // namespace

const SinkFactory& console_sink_factory() {
  static const ConsoleSinkFactory factory;
  return factory;
}

}  // namespace lc
