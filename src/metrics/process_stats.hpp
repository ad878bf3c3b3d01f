#pragma once

#include <cstdint>

namespace lc {

class MetricsRegistry;

// This process's resources, read from /proc/self at scrape time.
std::int64_t count_open_fds();
std::int64_t count_threads();
std::int64_t resident_memory_bytes();
double cpu_seconds_total();

// Registers log_capturer_open_fds, _threads, _resident_memory_bytes and
// _process_cpu_seconds_total, read at scrape time.
void register_process_metrics(MetricsRegistry& registry);

}  // namespace lc
