#include "config/sink_delivery_reader.hpp"

#include <fmt/format.h>

#include <array>

#include "config/byte_size_text.hpp"
#include "config/duration_text.hpp"

namespace lc {
namespace {

constexpr std::array<EnumChoice<SinkDeliveryConfig::WhenFull>, 2> kWhenFullChoices{{
    {"block", SinkDeliveryConfig::WhenFull::kBlock},
    {"drop_newest", SinkDeliveryConfig::WhenFull::kDropNewest},
}};
constexpr std::array<EnumChoice<SinkDeliveryConfig::DiskBuffer::Fsync>, 3> kBufferFsyncChoices{{
    {"every_batch", SinkDeliveryConfig::DiskBuffer::Fsync::kEveryBatch},
    {"interval", SinkDeliveryConfig::DiskBuffer::Fsync::kInterval},
    {"never", SinkDeliveryConfig::DiskBuffer::Fsync::kNever},
}};

void read_disk_buffer(YamlSection& buffer, SinkDeliveryConfig::DiskBuffer& disk) {
  buffer.read_bool(
      {"enabled",
       "Records go to append-only segment files first (checksum per record), and are sent from "
       "there: an outage longer than memory holds does not stop the inputs until the buffer is "
       "full, and a restart sends what was buffered before new records. Checkpoints advance once "
       "records are on disk. Format: docs/disk-buffer.md. Rarely useful for the local store, but "
       "there for symmetry (another disk, a slow NFS store)."},
      disk.enabled);
  buffer.read_string({"directory", "Empty: `<data_dir>/buffers/<name>`."}, disk.directory);
  buffer.read_byte_size({"max_bytes",
                         "Bound on the segment files; when reached, the sink's records wait in "
                         "memory (then the inputs stop). At least twice `segment_bytes`."},
                        disk.max_bytes, 1024 * 1024);
  buffer.read_byte_size(
      {"segment_bytes",
       "Size at which a new segment file is started; consumed segments are deleted whole."},
      disk.segment_bytes, 64 * 1024);
  buffer.read_enum<SinkDeliveryConfig::DiskBuffer::Fsync>(
      {"fsync",
       "`every_batch` (nothing acknowledged is lost on power loss), `interval`, or `never`."},
      disk.fsync, kBufferFsyncChoices);
  buffer.read_duration({"fsync_interval", "For `fsync: interval`."}, disk.fsync_interval);
}

}  // namespace

SinkDeliveryConfig sink_delivery_defaults(const AgentConfig& config) {
  SinkDeliveryConfig delivery = delivery_defaults(config.pipeline);
  delivery.dead_letters = config.dead_letters.enabled;
  return delivery;
}

void read_sink_delivery(YamlSection& section, SinkDeliveryConfig& delivery,
                        const AgentConfig& config) {
  section.read_enum<SinkDeliveryConfig::WhenFull>(
      {"when_full",
       "What happens when the sink is slower than the inputs: `block` keeps its records in memory "
       "under `pipeline.memory_limit_bytes`, so at the bound the inputs stop reading (nothing "
       "lost, checkpoints wait); `drop_newest` never slows the inputs: beyond `max_queued_bytes` "
       "new records are not sent to this sink (counted in "
       "`log_capturer_sink_records_dropped_total`)."},
      delivery.when_full, kWhenFullChoices);
  section.read_byte_size({"max_queued_bytes",
                          "`drop_newest` only: bytes of records waiting for this sink before new "
                          "ones are dropped for it (outside the pipeline's bound)."},
                         delivery.max_queued_bytes);
  section.read_section(
      "disk_buffer", [&](YamlSection& buffer) { read_disk_buffer(buffer, delivery.disk_buffer); });
  section.read_section("batch", [&](YamlSection& batch) {
    batch.read_count({"max_records",
                      "A batch for this sink goes out at this many records. Default: "
                      "`pipeline.batch_max_records`."},
                     delivery.batch.max_records);
    batch.read_byte_size({"max_bytes",
                          "... or at this many bytes of records; at most "
                          "`pipeline.memory_limit_bytes`. Default: `pipeline.batch_max_bytes`."},
                         delivery.batch.max_bytes);
    batch.read_duration(
        {"flush_interval",
         "... or this long after its first record. Default: `pipeline.flush_interval`."},
        delivery.batch.flush_interval);
    // Not written: pipeline.batch_max_bytes, which pipeline's own check covers.
    if (batch.has("max_bytes") && !batch.failed("max_bytes") &&
        delivery.batch.max_bytes > config.pipeline.memory_limit_bytes) {
      batch.fail("max_bytes", fmt::format("({}) must not exceed pipeline.memory_limit_bytes ({})",
                                          format_byte_size(delivery.batch.max_bytes),
                                          format_byte_size(config.pipeline.memory_limit_bytes)));
    }
  });
  section.read_section("retry", [&](YamlSection& retry) {
    retry.read_duration({"initial",
                         "First wait before a batch the sink failed transiently is sent again "
                         "(exponential backoff, full jitter). Default: `pipeline.retry_initial`."},
                        delivery.retry.initial);
    retry.read_duration({"max", "Longest wait between attempts. Default: `pipeline.retry_max`."},
                        delivery.retry.max);
    retry.read_count({"limit",
                      "Attempts before the batch goes to the dead letters (only its records the "
                      "sink has not delivered: those an earlier part of the write delivered, such "
                      "as a split's accepted half or the Kafka messages acknowledged before "
                      "others failed, are at the backend and are no dead letters); `0` retries "
                      "forever (an "
                      "outage must not lose records). Never applies while the sink holds (auth, "
                      "misconfiguration). Default: `pipeline.retry_limit`."},
                     delivery.retry.limit, 0);
    if (retry.has("initial") || retry.has("max")) {  // else pipeline.retry_*, checked there
      retry.require_not_above("initial", delivery.retry.initial, "max", delivery.retry.max,
                              format_duration);
    }
  });
  section.read_bool(
      {"dead_letters",
       "Records this sink refuses for good go to the dead-letter store; `false`: they are dropped "
       "(still counted in `log_capturer_sink_records_dead_lettered_total`). Default: "
       "`dead_letters.enabled`; `true` needs it."},
      delivery.dead_letters);
  if (delivery.dead_letters && !config.dead_letters.enabled) {
    section.fail("dead_letters", "dead_letters.enabled is false: there is no store to keep them");
  }
}

}  // namespace lc
