#pragma once

#include "metrics/metrics_registry.hpp"

namespace lc {

// A processor's series, labelled with its name (log_capturer_processor_records_*_total): the
// chain counts what goes in and out; the processor counts what it drops and the records it
// could not process (a line that is not JSON for parse_json), which pass on per its on_error.
struct ProcessorMetrics {
  Counter& records_in;
  Counter& records_out;
  Counter& dropped;
  Counter& errors;
};

}  // namespace lc
