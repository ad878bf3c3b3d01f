#include "sinks/kafka/kafka_sink_factory.hpp"

#include <algorithm>

#include "config/options_reading.hpp"
#include "core/machine_hostname.hpp"
#include "sinks/kafka/kafka_sink.hpp"
#include "sinks/kafka/kafka_sink_options.hpp"

namespace lc {
namespace {

class KafkaSinkFactory : public SinkFactory {
 public:
  std::string_view type() const override { return "kafka"; }
  bool shorthand_enabled() const override { return false; }

  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    return read_options_with(section, read_kafka_sink_options);
  }

  std::unique_ptr<Sink> build(const SinkSpec& spec,
                              const SinkBuildContext& context) const override {
    // librdkafka's queue holds one batch at most (write() waits for its reports).
    const std::uint64_t queue_bytes =
        std::max(spec.delivery.max_queued_bytes, spec.delivery.batch.max_bytes);
    return std::make_unique<KafkaSink>(spec.name, spec.options_as<KafkaSinkOptions>(), queue_bytes,
                                       context.metrics, machine_hostname(), context.health);
  }
};

}  // namespace

const SinkFactory& kafka_sink_factory() {
  static const KafkaSinkFactory factory;
  return factory;
}

}  // namespace lc
