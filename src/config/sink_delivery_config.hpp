#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lc {

// How the pipeline hands records to one sink (YAML: the same keys under every sink:
// sinks.<name>.when_full, sinks.<name>.max_queued_bytes, sinks.<name>.disk_buffer.*).
struct SinkDeliveryConfig {
  enum class WhenFull {
    kBlock,       // the sink's records wait in memory; at the bound, inputs stop reading
    kDropNewest,  // beyond max_queued_bytes, new records are not sent to this sink (counted)
  };
  WhenFull when_full = WhenFull::kBlock;
  // drop_newest only: the most record bytes waiting for this sink before new ones are dropped.
  std::uint64_t max_queued_bytes = 16ull * 1024 * 1024;

  // Write-through buffer on disk: records are appended there first (their checkpoints may then
  // advance) and sent from there, so an outage longer than memory holds loses nothing and
  // does not stop the inputs until the buffer is full.
  struct DiskBuffer {
    bool enabled = false;
    std::string directory;  // empty: <data_dir>/buffers/<sink name>
    std::uint64_t max_bytes = 1024ull * 1024 * 1024;
    std::uint64_t segment_bytes = 32ull * 1024 * 1024;
    enum class Fsync { kEveryBatch, kInterval, kNever };
    Fsync fsync = Fsync::kEveryBatch;
    std::chrono::milliseconds fsync_interval{1'000};
  };
  DiskBuffer disk_buffer;
};

}  // namespace lc
