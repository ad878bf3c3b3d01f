#pragma once

#include "sinks/sink_factory.hpp"

namespace lc {

// type: elasticsearch (sinks/elasticsearch/elasticsearch_sink.hpp).
const SinkFactory& elasticsearch_sink_factory();

}  // namespace lc
