#include "metrics/process_stats.hpp"

#include <dirent.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

#include "metrics/metrics_registry.hpp"

namespace lc {
namespace {

std::int64_t count_dir_entries(const char* path) {
  DIR* dir = opendir(path);
  if (dir == nullptr) return -1;
  std::int64_t count = 0;
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') ++count;
  }
  closedir(dir);
  return count;
}

}  // namespace

// The directory stream itself holds one descriptor while counting: leave it out.
std::int64_t count_open_fds() { return count_dir_entries("/proc/self/fd") - 1; }

std::int64_t count_threads() { return count_dir_entries("/proc/self/task"); }

std::int64_t resident_memory_bytes() {
  std::ifstream statm("/proc/self/statm");
  std::int64_t size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

double cpu_seconds_total() {
  std::ifstream stat("/proc/self/stat");
  std::string content((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // Fields after the command name (which may hold spaces) start after the last ')'.
  const auto close = content.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(content.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

void register_process_metrics(MetricsRegistry& registry) {
  registry.gauge_callback("log_capturer_open_fds", "File descriptors open in the agent process.",
                          [] { return static_cast<double>(count_open_fds()); });
  registry.gauge_callback("log_capturer_threads", "Threads of the agent process.",
                          [] { return static_cast<double>(count_threads()); });
  registry.gauge_callback("log_capturer_resident_memory_bytes",
                          "Resident set size of the agent process.",
                          [] { return static_cast<double>(resident_memory_bytes()); });
  registry.counter_callback("log_capturer_process_cpu_seconds_total",
                            "User and system CPU time of the agent process.", cpu_seconds_total);
}

}  // namespace lc
