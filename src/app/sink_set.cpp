#include "app/sink_set.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "buffer/dead_letter/dead_letter_store.hpp"
#include "buffer/disk_buffer/disk_buffer.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "sinks/loki/loki_sink.hpp"

namespace lc {

namespace {

std::string under_data_dir(const AgentConfig& config, const std::string& configured,
                           const std::filesystem::path& relative) {
  return configured.empty() ? (std::filesystem::path(config.data_dir) / relative).string()
                            : configured;
}

DiskBufferOptions::Fsync disk_fsync(SinkDeliveryConfig::DiskBuffer::Fsync fsync) {
  switch (fsync) {
    case SinkDeliveryConfig::DiskBuffer::Fsync::kEveryBatch:
      return DiskBufferOptions::Fsync::kEveryAppend;
    case SinkDeliveryConfig::DiskBuffer::Fsync::kInterval:
      return DiskBufferOptions::Fsync::kInterval;
    case SinkDeliveryConfig::DiskBuffer::Fsync::kNever:
      return DiskBufferOptions::Fsync::kNever;
  }
  return DiskBufferOptions::Fsync::kEveryAppend;
}

}  // namespace

SinkSet::SinkSet(const AgentConfig& config, MetricsRegistry& metrics)
    : loki_delivery_(config.sinks.loki.delivery) {
  const SinksConfig& sinks = config.sinks;
  if (!sinks.file_store.enabled && !sinks.loki.enabled) {
    throw std::runtime_error("no sink is enabled: enable sinks.file_store or sinks.loki");
  }
  if (sinks.file_store.enabled) {
    try {
      file_store_ = std::make_unique<FileStoreSink>(
          sinks.file_store, under_data_dir(config, sinks.file_store.directory, "store"), metrics);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("cannot open the file store: ") + e.what());
    }
  }
  if (sinks.loki.enabled) {
    loki_ = std::make_unique<LokiSink>(sinks.loki, metrics);
    const SinkDeliveryConfig::DiskBuffer& disk = sinks.loki.delivery.disk_buffer;
    if (disk.enabled) {
      DiskBufferOptions options;
      options.directory = under_data_dir(config, disk.directory, "buffers/loki");
      options.sink_name = loki_->name();
      options.max_total_bytes = disk.max_bytes;
      options.max_segment_bytes = disk.segment_bytes;
      options.fsync = disk_fsync(disk.fsync);
      options.fsync_interval = disk.fsync_interval;
      try {
        loki_buffer_ = std::make_unique<DiskBuffer>(options, metrics);
      } catch (const std::exception& e) {
        throw std::runtime_error("cannot open the disk buffer of sink loki in " +
                                 options.directory + ": " + e.what());
      }
      spdlog::info("sink loki: disk buffer in {} ({} records from an earlier run to send)",
                   options.directory, loki_buffer_->records_pending());
    }
  }
  if (config.dead_letters.enabled) {
    DeadLetterStoreOptions options;
    options.directory = under_data_dir(config, config.dead_letters.directory, "dead_letters");
    options.max_bytes = config.dead_letters.max_bytes;
    options.max_segment_bytes = std::min<std::uint64_t>(options.max_segment_bytes,
                                                        options.max_bytes / 4);
    try {
      dead_letters_ = std::make_unique<DeadLetterStore>(options, metrics);
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot open the dead-letter store in " + options.directory +
                               ": " + e.what());
    }
  }
}

SinkSet::~SinkSet() = default;

std::vector<SinkLane::Options> SinkSet::lanes() const {
  std::vector<SinkLane::Options> lanes;
  if (file_store_) lanes.push_back(SinkLane::Options{*file_store_, {}, nullptr});
  if (loki_) lanes.push_back(SinkLane::Options{*loki_, loki_delivery_, loki_buffer_.get()});
  return lanes;
}

std::vector<std::string> SinkSet::names() const {
  std::vector<std::string> names;
  for (const SinkLane::Options& lane : lanes()) names.push_back(lane.sink.name());
  return names;
}

Pipeline::DeadLetterHook SinkSet::dead_letter_hook() {
  if (!dead_letters_) return {};
  return [store = dead_letters_.get()](const std::string& sink, const std::string& kind,
                                       const std::string& reason,
                                       std::span<const LogRecord> records) {
    const DeadLetterAddResult result = store->add(sink, DeadLetterReason{kind, reason}, records);
    if (result.error) {
      spdlog::error("dead letters: cannot store {} records refused by {}: {}; kept and retried",
                    records.size() - result.added, sink, result.error.message());
      return false;
    }
    return true;
  };
}

void SinkSet::register_flushes(CheckpointSaver& saver) {
  if (!loki_buffer_) return;
  saver.also_make_durable([buffer = loki_buffer_.get()] {
    if (const std::error_code error = buffer->flush()) {
      throw std::system_error(error, "disk buffer of sink loki");
    }
  });
}

}  // namespace lc
