#pragma once

#include "config/agent_config.hpp"
#include "config/yaml_section.hpp"

namespace lc {

// What a sink's shared keys default to: pipeline.* and dead_letters.enabled.
SinkDeliveryConfig sink_delivery_defaults(const AgentConfig& config);

// The keys every sink has, whatever its type (sinks.<name>.when_full, .batch, .retry,
// .disk_buffer, ...): how the pipeline feeds it. `config` holds the pipeline and dead-letter
// settings already read, which these keys default to and are checked against.
void read_sink_delivery(YamlSection& section, SinkDeliveryConfig& delivery,
                        const AgentConfig& config);

}  // namespace lc
