#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lc {

// How the pipeline hands records to one sink: the keys every sink has, read once for all sink
// types by the loader (YAML: sinks.<name>.when_full, .max_queued_bytes, .disk_buffer.*,
// .batch.*, .retry.*, .dead_letters). Batch and retry default to pipeline.*, dead_letters to
// dead_letters.enabled.
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
    bool operator==(const DiskBuffer&) const = default;
  };
  DiskBuffer disk_buffer;

  // A batch goes out at max_records or max_bytes, or flush_interval after its first record.
  struct Batch {
    std::uint32_t max_records = 4096;
    std::uint64_t max_bytes = 4ull * 1024 * 1024;
    std::chrono::milliseconds flush_interval{200};
    bool operator==(const Batch&) const = default;
  };
  Batch batch;

  // Transient failures are retried with exponential backoff (full jitter) from initial to max;
  // limit: attempts before the batch goes to the dead letters, 0 retries forever.
  struct Retry {
    std::chrono::milliseconds initial{100};
    std::chrono::milliseconds max{30'000};
    std::uint32_t limit = 0;
    bool operator==(const Retry&) const = default;
  };
  Retry retry;

  // Records this sink refuses for good go to the dead-letter store; false: they are dropped
  // (counted in log_capturer_sink_records_dead_lettered_total all the same).
  bool dead_letters = true;

  bool operator==(const SinkDeliveryConfig&) const = default;
};

}  // namespace lc
