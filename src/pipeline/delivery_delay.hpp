#pragma once

#include <span>
#include <string>
#include <vector>

#include "core/log_record.hpp"
#include "core/timestamp.hpp"

namespace lc {

class Histogram;
class MetricsScope;

// log_capturer_sink_delivery_delay_seconds{sink}: for each record a sink acknowledged, the
// time from its source time (dockerd's stamp of the line, or when a tailed file's line was
// read) to the acknowledgement: how far behind the logs a sink's copy is, outages and disk
// buffering included. Records without a time of their own (time_estimated) are left out.
class DeliveryDelay {
 public:
  DeliveryDelay(MetricsScope& metrics, const std::string& sink);

  // The records of the batch whose place `acknowledged_now` marks.
  void observe_where(std::span<const LogRecord> batch, const std::vector<bool>& acknowledged_now,
                     TimestampNs acknowledged);

 private:
  void count(const LogRecord& record, TimestampNs acknowledged);
  void publish();

  Histogram& histogram_;
  std::vector<std::uint64_t> counts_;  // per bucket then +Inf, for one batch
  double sum_ = 0;
};

}  // namespace lc
