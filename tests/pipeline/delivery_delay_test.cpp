#include "pipeline/delivery_delay.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "metrics/metrics_registry.hpp"
#include "metrics/metrics_scope.hpp"

namespace lc {
namespace {

constexpr TimestampNs kAcknowledged = 1'800'000'000'000'000'000;
constexpr TimestampNs kMillisecond = 1'000'000;

LogRecord stamped(TimestampNs age) {
  LogRecord record;
  record.time = kAcknowledged - age;
  return record;
}

class DeliveryDelayTest : public ::testing::Test {
 protected:
  // The rendered value of delivery_delay_seconds<suffix>{sink="s"<labels>}.
  double value(const std::string& suffix, const std::string& labels = "") const {
    const std::string text = registry_.render();
    const std::string series =
        "log_capturer_sink_delivery_delay_seconds" + suffix + "{sink=\"s\"" + labels + "} ";
    const auto at = text.find(series);
    return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size()));
  }

  MetricsRegistry registry_;
  MetricsScope scope_{registry_};
  DeliveryDelay delay_{scope_, "s"};
};

TEST_F(DeliveryDelayTest, EachAcknowledgedRecordCountsFromItsSourceTime) {
  std::vector<LogRecord> batch = {stamped(3 * kMillisecond), stamped(200 * kMillisecond),
                                  stamped(2000 * kMillisecond), stamped(-5 * kMillisecond)};
  LogRecord no_time_of_its_own = stamped(0);
  no_time_of_its_own.time_estimated = true;
  batch.push_back(no_time_of_its_own);
  delay_.observe_where(batch, std::vector<bool>(batch.size(), true), kAcknowledged);
  EXPECT_EQ(value("_count"), 4);  // not the estimated one
  // 3 ms, and a line stamped "in the future" (a clock stepped back) counts as no delay.
  EXPECT_EQ(value("_bucket", ",le=\"0.005\""), 2);
  EXPECT_EQ(value("_bucket", ",le=\"0.25\""), 3);
  EXPECT_EQ(value("_bucket", ",le=\"2.5\""), 4);
  EXPECT_NEAR(value("_sum"), 2.203, 1e-9);
}

TEST_F(DeliveryDelayTest, OnlyTheRecordsMarkedCount) {
  const std::vector<LogRecord> batch = {stamped(kMillisecond), stamped(60'000 * kMillisecond),
                                        stamped(kMillisecond)};
  delay_.observe_where(batch, {true, false, true}, kAcknowledged);
  delay_.observe_where(batch, {false, true, false}, kAcknowledged);
  EXPECT_EQ(value("_count"), 3);
  EXPECT_EQ(value("_bucket", ",le=\"0.005\""), 2);
  EXPECT_EQ(value("_bucket", ",le=\"30\""), 2);
  EXPECT_EQ(value("_bucket", ",le=\"60\""), 3);
}

}  // namespace
}  // namespace lc
