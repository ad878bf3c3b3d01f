#include "metrics/process_stats.hpp"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "metrics/metrics_registry.hpp"

namespace lc {
namespace {

TEST(ProcessStatsTest, OpenFdsFollowOpenAndClose) {
  const std::int64_t before = count_open_fds();
  ASSERT_GT(before, 2);  // at least stdin, stdout, stderr
  const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(count_open_fds(), before + 1);
  ::close(fd);
  EXPECT_EQ(count_open_fds(), before);
}

TEST(ProcessStatsTest, ThreadsFollowAStartedThread) {
  const std::int64_t before = count_threads();
  ASSERT_GE(before, 1);
  std::int64_t during = 0;
  std::thread thread([&] { during = count_threads(); });
  thread.join();
  EXPECT_EQ(during, before + 1);
}

TEST(ProcessStatsTest, MemoryAndCpuAreSane) {
  EXPECT_GT(resident_memory_bytes(), 1024 * 1024);  // a gtest binary holds more than 1 MiB
  EXPECT_LT(resident_memory_bytes(), 4ll * 1024 * 1024 * 1024);
  volatile double sink = 0;
  for (int i = 0; i < 5'000'000; ++i) sink = sink + i;  // burn a little CPU
  const double cpu = cpu_seconds_total();
  EXPECT_GT(cpu, 0.0);
  EXPECT_LT(cpu, 3600.0);
}

TEST(ProcessStatsTest, RegistersTheProcessGauges) {
  MetricsRegistry registry;
  register_process_metrics(registry);
  const std::string text = registry.render();
  for (const char* name :
       {"log_capturer_open_fds", "log_capturer_threads", "log_capturer_resident_memory_bytes",
        "log_capturer_process_cpu_seconds_total"}) {
    EXPECT_NE(text.find(std::string("# TYPE ") + name + " "), std::string::npos) << name;
    EXPECT_NE(text.find(std::string("\n") + name + " "), std::string::npos) << name;
  }
}

}  // namespace
}  // namespace lc
