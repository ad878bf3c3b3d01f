// A component's series go with it: nothing stale on /metrics, no callback into a destroyed
// object, and series someone else still holds stay.
#include "metrics/metrics_scope.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace lc {
namespace {

bool shows(const MetricsRegistry& registry, const std::string& text) {
  return registry.render().find(text) != std::string::npos;
}

TEST(MetricsScope, ASeriesGoesWithItsScope) {
  MetricsRegistry registry;
  {
    MetricsScope scope(registry);
    scope.counter("lc_test_total", "Test.", {{"sink", "a"}}).inc(3);
    scope.gauge("lc_test_gauge", "Test.").set(7);
    EXPECT_TRUE(shows(registry, "lc_test_total{sink=\"a\"} 3"));
    EXPECT_TRUE(shows(registry, "lc_test_gauge 7"));
  }
  EXPECT_FALSE(shows(registry, "lc_test_total"));  // the family too: no orphaned HELP line
  EXPECT_FALSE(shows(registry, "lc_test_gauge"));
}

TEST(MetricsScope, NoCallbackRunsAfterItsScopeIsReleased) {
  MetricsRegistry registry;
  auto alive = std::make_shared<bool>(true);
  auto scope = std::make_unique<MetricsScope>(registry);
  scope->gauge_callback("lc_test_depth", "Test.", [alive] {
    EXPECT_TRUE(*alive) << "a scrape read a destroyed component";
    return 1.0;
  });
  EXPECT_TRUE(shows(registry, "lc_test_depth 1"));
  scope->release();
  *alive = false;  // the component's members go now
  EXPECT_FALSE(shows(registry, "lc_test_depth"));
}

TEST(MetricsScope, ASeriesHeldElsewhereStays) {
  MetricsRegistry registry;
  Counter& permanent = registry.counter("lc_test_total", "Test.");
  auto first = std::make_unique<MetricsScope>(registry);
  auto second = std::make_unique<MetricsScope>(registry);
  first->counter("lc_test_total", "Test.").inc();
  first->counter("lc_test_shared_total", "Test.").inc(2);
  second->counter("lc_test_shared_total", "Test.").inc(3);  // its successor, say
  first.reset();
  EXPECT_TRUE(shows(registry, "lc_test_shared_total 5"));
  EXPECT_TRUE(shows(registry, "lc_test_total 1"));
  permanent.inc();
  second.reset();
  EXPECT_FALSE(shows(registry, "lc_test_shared_total"));
  EXPECT_TRUE(shows(registry, "lc_test_total 2"));
}

// A component and its replacement (a reload) hold the same callback series for a while: each
// takes its own callback away when it goes, whichever goes first, so no scrape reads a
// destroyed one.
TEST(MetricsScope, EachScopeTakesItsOwnCallbackAwayWhicheverGoesFirst) {
  MetricsRegistry registry;
  for (const bool newer_goes_first : {true, false}) {
    auto older = std::make_unique<MetricsScope>(registry);
    auto newer = std::make_unique<MetricsScope>(registry);
    older->gauge_callback("lc_test_queue", "Test.", [] { return 1.0; });
    newer->gauge_callback("lc_test_queue", "Test.", [] { return 2.0; });
    EXPECT_TRUE(shows(registry, "lc_test_queue 2"));
    if (newer_goes_first) {
      newer.reset();
      EXPECT_TRUE(shows(registry, "lc_test_queue 1"));
    } else {
      older.reset();
      EXPECT_TRUE(shows(registry, "lc_test_queue 2"));
    }
    older.reset();
    newer.reset();
    EXPECT_FALSE(shows(registry, "lc_test_queue"));
  }
}

}  // namespace
}  // namespace lc
