// Renders a registry holding every kind of series, plus the process metrics, and has the
// reference parser and linter (promtool, Debian package "prometheus") check it.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "metrics/metrics_registry.hpp"
#include "metrics/process_stats.hpp"

namespace lc {
namespace {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

CommandResult run(const std::string& command) {
  CommandResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char chunk[4096];
  while (const std::size_t n = std::fread(chunk, 1, sizeof chunk, pipe))
    result.output.append(chunk, n);
  const int status = ::pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

void fill_with_every_kind_of_series(MetricsRegistry& registry) {
  registry.counter("lc_test_records_total", "Records read, by source.", {{"source", "docker"}})
      .inc(12);
  registry.counter("lc_test_records_total", "Records read, by source.", {{"source", "file"}});
  registry.counter("lc_test_plain_total", "A counter without labels.").inc();
  registry
      .gauge("lc_test_queue_bytes", "Bytes queued.", {{"sink", "file_store"}, {"stage", "batch"}})
      .set(-5);
  registry.gauge("lc_test_plain", "A gauge without labels.").set(7);
  registry
      .gauge("lc_test_escaping", "Help with a newline\nand a backslash \\ in it.",
             {{"value", "quote \" backslash \\ newline \n unicode é"}})
      .set(1);
  registry.gauge_callback("lc_test_ratio", "A scrape-time ratio.", [] { return 0.25; });
  registry.gauge_callback("lc_test_nan", "A scrape-time NaN.",
                          [] { return std::numeric_limits<double>::quiet_NaN(); });
  registry.gauge_callback("lc_test_inf", "A scrape-time infinity.",
                          [] { return std::numeric_limits<double>::infinity(); },
                          {{"sign", "plus"}});
  registry.gauge_callback("lc_test_inf", "A scrape-time infinity.",
                          [] { return -std::numeric_limits<double>::infinity(); },
                          {{"sign", "minus"}});
  registry.gauge_callback("lc_test_big", "A large value.", [] { return 1e21; });
  registry.counter_callback("lc_test_seconds_total", "Seconds, kept as a double elsewhere.",
                            [] { return 12.5; });
  Histogram& latency = registry.histogram("lc_test_latency_seconds", "A histogram.",
                                          {0.005, 0.1, 1}, {{"route", "api"}});
  latency.observe(0.05);
  latency.observe(7);
  registry.histogram("lc_test_empty_seconds", "A histogram nothing observed.", {1});
  register_process_metrics(registry);
}

TEST(PromtoolCheckTest, RenderedRegistryPassesPromtoolCheckMetrics) {
  const CommandResult which = run("command -v promtool");
  ASSERT_EQ(which.exit_code, 0)
      << "promtool not found in PATH: install the Debian package 'prometheus' "
         "(it provides /usr/bin/promtool); this test checks the exposition format with it";

  MetricsRegistry registry;
  fill_with_every_kind_of_series(registry);
  const std::string text = registry.render();
  const auto path = std::filesystem::temp_directory_path() /
                    ("lc_promtool_" + std::to_string(::getpid()) + ".prom");
  {
    std::ofstream file(path, std::ios::binary);
    file << text;
    ASSERT_TRUE(file.good()) << "cannot write " << path;
  }
  const CommandResult check = run("promtool check metrics < " + path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n--- input ---\n" << text;
  EXPECT_EQ(check.output, "") << "promtool complained:\n"
                              << check.output << "\n--- input ---\n"
                              << text;
}

// The check above must be able to fail: promtool does reject a broken exposition.
TEST(PromtoolCheckTest, PromtoolRejectsACounterWithoutTotalSuffix) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("lc_promtool_bad_" + std::to_string(::getpid()) + ".prom");
  {
    std::ofstream file(path);
    file << "# HELP lc_bad A counter.\n# TYPE lc_bad counter\nlc_bad 1\n";
  }
  const CommandResult check = run("promtool check metrics < " + path.string());
  std::filesystem::remove(path);
  EXPECT_NE(check.exit_code, 0);
  EXPECT_NE(check.output.find("_total"), std::string::npos) << check.output;
}

}  // namespace
}  // namespace lc
