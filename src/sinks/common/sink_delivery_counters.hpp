#pragma once

#include <string>

#include "metrics/metrics_scope.hpp"

namespace lc {

// The series every sink counts what it delivered in, labelled sink="<name>" (docs/metrics.md):
// the same names and meaning whatever the sink's type.
struct SinkDeliveryCounters {
  SinkDeliveryCounters(MetricsScope& scope, const std::string& sink_name);

  Counter& records;  // records the backend took
  Counter& bytes;    // their encoded bytes, as the sink's type defines them (docs/metrics.md)
  Counter& batches;  // write() calls that ended delivered
};

}  // namespace lc
