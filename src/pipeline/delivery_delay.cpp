#include "pipeline/delivery_delay.hpp"

#include <algorithm>

#include "metrics/metrics_registry.hpp"
#include "metrics/metrics_scope.hpp"

namespace lc {
namespace {

// From a healthy local sink (milliseconds) to a long outage (an hour and more: +Inf).
const std::vector<double> kDelayBounds{0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
                                       2.5,   5,    10,    30,   60,  300,  3600};

}  // namespace

DeliveryDelay::DeliveryDelay(MetricsScope& metrics, const std::string& sink)
    : histogram_(metrics.histogram(
          "log_capturer_sink_delivery_delay_seconds",
          "Seconds from a record's source time (dockerd's stamp of the line, or when a tailed "
          "line was read) to the sink acknowledging it.",
          kDelayBounds, {{"sink", sink}})),
      counts_(kDelayBounds.size() + 1, 0) {}

void DeliveryDelay::observe_where(std::span<const LogRecord> batch,
                                  const std::vector<bool>& acknowledged_now,
                                  TimestampNs acknowledged) {
  for (std::size_t i = 0; i < batch.size() && i < acknowledged_now.size(); ++i) {
    if (acknowledged_now[i]) count(batch[i], acknowledged);
  }
  publish();
}

void DeliveryDelay::publish() {
  histogram_.add(counts_, sum_);
  std::fill(counts_.begin(), counts_.end(), 0);
  sum_ = 0;
}

void DeliveryDelay::count(const LogRecord& record, TimestampNs acknowledged) {
  if (record.time_estimated) return;
  // A clock stepped back since the line was stamped: no delay rather than a negative one.
  const double seconds =
      static_cast<double>(std::max<TimestampNs>(0, acknowledged - record.time)) / 1e9;
  const auto bucket =
      std::lower_bound(kDelayBounds.begin(), kDelayBounds.end(), seconds) - kDelayBounds.begin();
  ++counts_[static_cast<std::size_t>(bucket)];
  sum_ += seconds;
}

}  // namespace lc
