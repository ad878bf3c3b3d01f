#include "sinks/syslog/syslog_sink_factory.hpp"

#include "config/options_reading.hpp"
#include "core/machine_hostname.hpp"
#include "sinks/syslog/syslog_sink.hpp"
#include "sinks/syslog/syslog_sink_options.hpp"

namespace lc {
namespace {

class SyslogSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "syslog"; }
  // Like the other network sinks: the shorthand needs `enabled: true`.
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_syslog_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    return std::make_unique<SyslogSink>(spec.name, spec.options_as<SyslogSinkOptions>(),
                                        context.metrics, machine_hostname());
  }
};

}  // namespace

const SinkFactory& syslog_sink_factory() {
  static const SyslogSinkFactory factory;
  return factory;
}

}  // namespace lc
