#include "metrics/metrics_registry.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>
#include <vector>

namespace lc {
namespace {

TEST(MetricsRegistryTest, EmptyRegistryRendersNothing) {
  EXPECT_EQ(MetricsRegistry{}.render(), "");
}

TEST(MetricsRegistryTest, CounterRendersInExactTextFormat) {
  MetricsRegistry registry;
  Counter& lines = registry.counter("lc_lines_total", "Lines read.", {{"source", "docker"}});
  lines.inc();
  lines.inc(41);
  registry.counter("lc_lines_total", "Lines read.", {{"source", "file"}});
  EXPECT_EQ(lines.value(), 42u);
  EXPECT_EQ(registry.render(),
            "# HELP lc_lines_total Lines read.\n"
            "# TYPE lc_lines_total counter\n"
            "lc_lines_total{source=\"docker\"} 42\n"
            "lc_lines_total{source=\"file\"} 0\n");
}

TEST(MetricsRegistryTest, GaugeRendersNegativeAndMultipleLabels) {
  MetricsRegistry registry;
  Gauge& gauge = registry.gauge("lc_level", "A level.", {{"a", "1"}, {"b", "2"}});
  gauge.set(10);
  gauge.sub(15);
  gauge.add(2);
  EXPECT_EQ(gauge.value(), -3);
  EXPECT_EQ(registry.render(),
            "# HELP lc_level A level.\n"
            "# TYPE lc_level gauge\n"
            "lc_level{a=\"1\",b=\"2\"} -3\n");
}

TEST(MetricsRegistryTest, CallbackGaugeIsReadAtRenderTime) {
  MetricsRegistry registry;
  double value = 1.5;
  registry.gauge_callback("lc_read", "Read at scrape.", [&] { return value; });
  EXPECT_EQ(registry.render(),
            "# HELP lc_read Read at scrape.\n# TYPE lc_read gauge\nlc_read 1.5\n");
  value = 1e21;
  EXPECT_EQ(registry.render(),
            "# HELP lc_read Read at scrape.\n# TYPE lc_read gauge\nlc_read 1e+21\n");
  value = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(registry.render(),
            "# HELP lc_read Read at scrape.\n# TYPE lc_read gauge\nlc_read NaN\n");
  value = -std::numeric_limits<double>::infinity();
  EXPECT_EQ(registry.render(),
            "# HELP lc_read Read at scrape.\n# TYPE lc_read gauge\nlc_read -Inf\n");
  value = 3;
  EXPECT_EQ(registry.render(), "# HELP lc_read Read at scrape.\n# TYPE lc_read gauge\nlc_read 3\n");
}

TEST(MetricsRegistryTest, ThrowingCallbackRendersNaNAndTheScrapeSurvives) {
  MetricsRegistry registry;
  registry.gauge_callback("lc_bad", "Fails.",
                          []() -> double { throw std::runtime_error("no /proc"); });
  registry.counter("lc_good_total", "Fine.").inc();
  EXPECT_EQ(registry.render(),
            "# HELP lc_bad Fails.\n# TYPE lc_bad gauge\nlc_bad NaN\n"
            "# HELP lc_good_total Fine.\n# TYPE lc_good_total counter\nlc_good_total 1\n");
}

TEST(MetricsRegistryTest, FamiliesRenderSortedByName) {
  MetricsRegistry registry;
  registry.gauge("lc_b", "B.");
  registry.counter("lc_a_total", "A.");
  EXPECT_EQ(registry.render(),
            "# HELP lc_a_total A.\n# TYPE lc_a_total counter\nlc_a_total 0\n"
            "# HELP lc_b B.\n# TYPE lc_b gauge\nlc_b 0\n");
}

TEST(MetricsRegistryTest, LabelValuesAreEscaped) {
  MetricsRegistry registry;
  registry.counter("lc_escaped_total", "Escaping.", {{"path", "C:\\dir \"q\"\nnext"}}).inc(2);
  EXPECT_EQ(registry.render(),
            "# HELP lc_escaped_total Escaping.\n"
            "# TYPE lc_escaped_total counter\n"
            "lc_escaped_total{path=\"C:\\\\dir \\\"q\\\"\\nnext\"} 2\n");
}

TEST(MetricsRegistryTest, HelpTextIsEscaped) {
  MetricsRegistry registry;
  registry.gauge("lc_help", "Line one\nline two \\ end \"quoted\".");
  // HELP escapes only backslash and newline; quotes stay as they are.
  EXPECT_EQ(registry.render(),
            "# HELP lc_help Line one\\nline two \\\\ end \"quoted\".\n"
            "# TYPE lc_help gauge\n"
            "lc_help 0\n");
}

TEST(MetricsRegistryTest, SameNameAndLabelsReturnTheSameSeries) {
  MetricsRegistry registry;
  Counter& first = registry.counter("lc_same_total", "Same.", {{"k", "v"}});
  Counter& other = registry.counter("lc_same_total", "Same.", {{"k", "w"}});
  Counter& again = registry.counter("lc_same_total", "Same.", {{"k", "v"}});
  EXPECT_EQ(&first, &again);
  EXPECT_NE(&first, &other);
  Gauge& gauge = registry.gauge("lc_same_gauge", "G.");
  EXPECT_EQ(&gauge, &registry.gauge("lc_same_gauge", "G."));
}

TEST(MetricsRegistryTest, ReferencesStayValidAsSeriesAreAdded) {
  MetricsRegistry registry;
  Counter& first = registry.counter("lc_many_total", "Many.", {{"i", "0"}});
  for (int i = 1; i < 200; ++i)
    registry.counter("lc_many_total", "Many.", {{"i", std::to_string(i)}});
  first.inc(7);
  EXPECT_EQ(registry.counter("lc_many_total", "Many.", {{"i", "0"}}).value(), 7u);
}

TEST(MetricsRegistryTest, TypeClashThrows) {
  MetricsRegistry registry;
  registry.counter("lc_clash", "Clash.");
  EXPECT_THROW(registry.gauge("lc_clash", "Clash."), std::logic_error);
  EXPECT_THROW(registry.gauge_callback("lc_clash", "Clash.", [] { return 1.0; }), std::logic_error);
  registry.gauge("lc_clash_gauge", "Clash.");
  EXPECT_THROW(registry.counter("lc_clash_gauge", "Clash.", {{"k", "v"}}), std::logic_error);
  // The failed registrations left no trace.
  EXPECT_EQ(registry.render(),
            "# HELP lc_clash Clash.\n# TYPE lc_clash counter\nlc_clash 0\n"
            "# HELP lc_clash_gauge Clash.\n# TYPE lc_clash_gauge gauge\nlc_clash_gauge 0\n");
}

TEST(MetricsRegistryTest, InvalidNamesThrow) {
  MetricsRegistry registry;
  EXPECT_THROW(registry.counter("", "Empty."), std::invalid_argument);
  EXPECT_THROW(registry.counter("9starts_with_digit", "Bad."), std::invalid_argument);
  EXPECT_THROW(registry.counter("has-dash", "Bad."), std::invalid_argument);
  EXPECT_THROW(registry.gauge("lc_ok", "Bad label.", {{"bad-label", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("lc_ok", "Bad label.", {{"__reserved", "v"}}), std::invalid_argument);
  EXPECT_THROW(registry.gauge("lc_ok", "Twice.", {{"k", "1"}, {"k", "2"}}), std::invalid_argument);
  EXPECT_NO_THROW(registry.gauge("lc:ok_Name9", "Fine.", {{"_k9", "any value"}}));
  EXPECT_EQ(
      registry.render(),
      "# HELP lc:ok_Name9 Fine.\n# TYPE lc:ok_Name9 gauge\nlc:ok_Name9{_k9=\"any value\"} 0\n");
}

TEST(MetricsRegistryTest, ConcurrentIncrementsAreAllCounted) {
  MetricsRegistry registry;
  Counter& counter = registry.counter("lc_concurrent_total", "Concurrent.");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) counter.inc();
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(counter.value(), 400000u);
}

TEST(MetricsRegistryTest, AHistogramRendersCumulativeBucketsSumAndCount) {
  MetricsRegistry registry;
  Histogram& histogram =
      registry.histogram("lc_h_seconds", "Latency.", {0.1, 1, 10}, {{"sink", "loki"}});
  for (double value : {0.05, 0.1, 0.5, 20.0}) histogram.observe(value);
  const std::string text = registry.render();
  EXPECT_NE(text.find("# TYPE lc_h_seconds histogram\n"
                      "lc_h_seconds_bucket{sink=\"loki\",le=\"0.1\"} 2\n"
                      "lc_h_seconds_bucket{sink=\"loki\",le=\"1\"} 3\n"
                      "lc_h_seconds_bucket{sink=\"loki\",le=\"10\"} 3\n"
                      "lc_h_seconds_bucket{sink=\"loki\",le=\"+Inf\"} 4\n"
                      "lc_h_seconds_sum{sink=\"loki\"} 20.65\n"
                      "lc_h_seconds_count{sink=\"loki\"} 4\n"),
            std::string::npos)
      << text;
}

}  // namespace
}  // namespace lc
