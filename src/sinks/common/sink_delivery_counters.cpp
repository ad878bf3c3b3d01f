#include "sinks/common/sink_delivery_counters.hpp"

namespace lc {

SinkDeliveryCounters::SinkDeliveryCounters(MetricsScope& scope, const std::string& sink_name)
    : records(scope.counter("log_capturer_sink_records_written_total", "Records a sink delivered.",
                            {{"sink", sink_name}})),
      bytes(scope.counter("log_capturer_sink_bytes_written_total",
                          "Encoded bytes a sink delivered.", {{"sink", sink_name}})),
      batches(scope.counter("log_capturer_sink_batches_total", "Batches a sink delivered.",
                            {{"sink", sink_name}})) {}

}  // namespace lc
