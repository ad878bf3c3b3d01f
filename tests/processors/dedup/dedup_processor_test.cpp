#include "processors/dedup/dedup_processor.hpp"

#include <gtest/gtest.h>

#include "config/config_loader.hpp"
#include "metrics/metrics_registry.hpp"
#include "support/processor_test_support.hpp"

namespace lc {
namespace {

using namespace std::chrono_literals;

LogRecord line(const std::string& container, const std::string& message) {
  LogRecord record;
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = container;
  metadata->name = container;
  record.container = std::move(metadata);
  record.message = message;
  return record;
}

struct Fixture {
  explicit Fixture(const std::string& yaml)
      : config(one_processor_config(yaml)),
        counters("dedup_1"),
        dedup("dedup_1", config.processors.back().options_as<DedupOptions>(), counters.metrics,
              [this] { return now; }) {}

  std::string pass(std::vector<LogRecord> records) {
    dedup.process(records);
    std::string out;
    for (const LogRecord& record : records)
      out += record.container->id + ":" + record.message + " ";
    return out;
  }

  AgentConfig config;
  ProcessorTestMetrics counters;
  DedupProcessor::Clock::time_point now{};
  DedupProcessor dedup;
};

TEST(DedupProcessor, DropsARepeatOfOneSourceWithinTheWindowAndPassesOncePerWindow) {
  Fixture f("{type: dedup, window: 10s}");
  EXPECT_EQ(f.pass({line("a", "x"), line("a", "x"), line("b", "x"), line("a", "y")}),
            "a:x b:x a:y ");
  f.now += 9s;
  EXPECT_EQ(f.pass({line("a", "x")}), "");
  f.now += 2s;
  EXPECT_EQ(f.pass({line("a", "x"), line("a", "x")}), "a:x ");  // once per window still shows
  EXPECT_EQ(f.counters.metrics.dropped.value(), 3u);
}

TEST(DedupProcessor, ChosenPathsMakeTheIdentity) {
  Fixture f("{type: dedup, fields: [.message]}");
  EXPECT_EQ(f.pass({line("a", "x"), line("b", "x")}), "a:x ");  // across containers
}

TEST(DedupProcessor, AWindowBeyondAYearIsRefused) {
  EXPECT_NE(
      processor_config_problem("{type: dedup, window: 10000000000000}").find("at most a year"),
      std::string::npos);
}

TEST(DedupProcessor, TheCacheIsBounded) {
  Fixture f("{type: dedup, max_entries: 2}");
  EXPECT_EQ(f.pass({line("a", "1"), line("a", "2"), line("a", "3"), line("a", "1")}),
            "a:1 a:2 a:3 a:1 ");  // 1 was forgotten for 3
}

}  // namespace
}  // namespace lc
