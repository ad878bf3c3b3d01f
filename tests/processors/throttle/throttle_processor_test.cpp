#include "processors/throttle/throttle_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "processors/processor_chain.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;

LogRecord from(const std::string& container, std::string message = "x") {
  LogRecord record;
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->name = container;
  record.container = std::move(metadata);
  record.message = std::move(message);
  return record;
}

struct Fixture {
  explicit Fixture(const std::string& yaml)
      : config(one_processor_config(yaml)),
        counters("throttle_1"),
        throttle("throttle_1", config.processors.back().options_as<ThrottleOptions>(),
                 counters.metrics, [this] { return now; }) {}

  // How many of `count` records of `container` pass now.
  std::size_t pass(const std::string& container, std::size_t count) {
    std::vector<LogRecord> records(count, from(container));
    throttle.process(records);
    return records.size();
  }

  AgentConfig config;
  ProcessorTestMetrics counters;
  TokenBuckets::Clock::time_point now{};
  ThrottleProcessor throttle;
};

TEST(ThrottleProcessor, EachKeyHasItsOwnBucketOfBurstRefilledAtRate) {
  Fixture f("{type: throttle, key: '{{ .container_name }}', rate: 10, burst: 20}");
  EXPECT_EQ(f.pass("noisy", 100), 20u);  // the burst
  EXPECT_EQ(f.pass("quiet", 5), 5u);     // untouched by the noisy one
  f.now += 500ms;
  EXPECT_EQ(f.pass("noisy", 100), 5u);  // half a second at 10/s
  f.now += 1h;
  EXPECT_EQ(f.pass("noisy", 100), 20u);  // never more than the burst
  EXPECT_EQ(f.counters.metrics.dropped.value(), 80u + 95u + 80u);
}

TEST(ThrottleProcessor, AFractionalRateAndTheDefaultBurst) {
  Fixture f("{type: throttle, rate: 0.5}");
  EXPECT_EQ(f.pass("a", 3), 1u);  // burst: the rate, at least 1
  f.now += 1s;
  EXPECT_EQ(f.pass("b", 3), 0u);  // one key for all: half a token
  f.now += 1s;
  EXPECT_EQ(f.pass("a", 3), 1u);
}

TEST(ThrottleProcessor, KeysBeyondMaxKeysForgetTheOldestAndAreCounted) {
  Fixture f("{type: throttle, key: '{{ .container_name }}', rate: 1, max_keys: 2}");
  EXPECT_EQ(f.pass("a", 2), 1u);
  EXPECT_EQ(f.pass("b", 2), 1u);
  EXPECT_EQ(f.pass("c", 2), 1u);  // a is forgotten
  EXPECT_EQ(f.pass("a", 2), 1u);  // and starts afresh
  EXPECT_NE(f.counters.registry.render().find(
                "log_capturer_processor_keys_evicted_total{processor=\"throttle_1\"} 2"),
            std::string::npos);
}

TEST(ThrottleProcessor, ARateIsRequiredAndPositive) {
  EXPECT_THROW(parse_config_text("processors:\n  - {type: throttle}\n", "c.yaml"), std::exception);
  EXPECT_THROW(parse_config_text("processors:\n  - {type: throttle, rate: -1}\n", "c.yaml"),
               std::exception);
  EXPECT_THROW(
      parse_config_text("processors:\n  - {type: throttle, rate: 1, key: '{{ .x }}'}\n", "c.yaml"),
      std::exception);
}

}  // namespace
}  // namespace lc
