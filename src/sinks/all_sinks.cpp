#include "sinks/all_sinks.hpp"

#include "sinks/console/console_sink_factory.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_factory.hpp"
#include "sinks/file_store/file_store_sink_factory.hpp"
#include "sinks/http/http_output_sink_factory.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_factory.hpp"
#include "sinks/syslog/syslog_sink_factory.hpp"
#if LC_SINK_KAFKA
#include "sinks/kafka/kafka_sink_factory.hpp"
#endif
#if LC_SINK_LOKI
#include "sinks/loki/loki_sink_factory.hpp"
#endif
#if LC_SINK_OTLP
#include "sinks/otlp/otlp_sink_factory.hpp"
#endif

namespace lc {

// The one list of sink types: a new type is its folder and one line here (and its #include).
// Types with a heavy dependency sit behind their CMake option (LC_SINK_<TYPE>).
const SinkTypes& built_in_sink_types() {
  static const SinkTypes types({
    &file_store_sink_factory(),
#if LC_SINK_LOKI
        &loki_sink_factory(),
#endif
#if LC_SINK_KAFKA
        &kafka_sink_factory(),
#endif
#if LC_SINK_OTLP
        &otlp_sink_factory(),
#endif
        &elasticsearch_sink_factory(), &splunk_hec_sink_factory(), &http_output_sink_factory(),
        &syslog_sink_factory(), &console_sink_factory(),
  });
  return types;
}

}  // namespace lc
