#include "buffer/disk_buffer/disk_buffer_metrics.hpp"

namespace lc {

DiskBufferMetrics::DiskBufferMetrics(MetricsRegistry& registry, const std::string& sink)
    : bytes(registry.gauge("log_capturer_disk_buffer_bytes",
                           "Bytes of a sink's disk buffer segment files.", {{"sink", sink}})),
      records_pending(registry.gauge("log_capturer_disk_buffer_records_pending",
                                     "Records in a sink's disk buffer not yet committed.",
                                     {{"sink", sink}})),
      records_appended(registry.counter("log_capturer_disk_buffer_records_appended_total",
                                        "Records appended to a sink's disk buffer.",
                                        {{"sink", sink}})),
      appends_refused(
          registry.counter("log_capturer_disk_buffer_appends_refused_total",
                           "Batch appends refused because the disk buffer was at max_total_bytes.",
                           {{"sink", sink}})),
      records_replayed(registry.counter(
          "log_capturer_disk_buffer_records_replayed_total",
          "Records read from a sink's disk buffer that a previous run of the agent had buffered.",
          {{"sink", sink}})),
      corrupt_truncations(registry.counter(
          "log_capturer_disk_buffer_corrupt_truncations_total",
          "Torn or corrupt segment tails cut at the last intact record.", {{"sink", sink}})),
      corrupt_skips(registry.counter(
          "log_capturer_disk_buffer_corrupt_skips_total",
          "Corrupt regions skipped inside disk buffer segments (intact records after them kept).",
          {{"sink", sink}})),
      write_errors(registry.counter(
          "log_capturer_disk_buffer_write_errors_total",
          "Failed disk buffer appends, fsyncs, segment creations and deletions, and state saves.",
          {{"sink", sink}})),
      fsync_failures(registry.counter(
          "log_capturer_disk_buffer_fsync_failures_total",
          "Failed fsyncs of disk buffer segments: the segment is abandoned, and checkpoints wait "
          "until what it held unsynced has been delivered.",
          {{"sink", sink}})) {}

}  // namespace lc
