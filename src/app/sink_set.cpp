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

std::string disk_buffer_directory(const AgentConfig& config,
                                  const SinkDeliveryConfig::DiskBuffer& disk,
                                  const std::string& sink_name) {
  return under_data_dir(config, disk.directory, std::filesystem::path("buffers") / sink_name);
}

std::string dead_letter_directory(const AgentConfig& config) {
  return under_data_dir(config, config.dead_letters.directory, "dead_letters");
}

// sinks.loki and the named Loki sinks, enabled or not, in lane order.
std::vector<const LokiSinkConfig*> loki_configs(const SinksConfig& sinks) {
  std::vector<const LokiSinkConfig*> lokis{&sinks.loki};
  for (const LokiSinkConfig& named : sinks.named_loki) lokis.push_back(&named);
  return lokis;
}

// The disk buffer of one sink, or null when it has none.
std::unique_ptr<DiskBuffer> open_disk_buffer(const AgentConfig& config,
                                             const SinkDeliveryConfig::DiskBuffer& disk,
                                             const std::string& sink_name,
                                             MetricsRegistry& metrics) {
  if (!disk.enabled) return nullptr;
  DiskBufferOptions options;
  options.directory = disk_buffer_directory(config, disk, sink_name);
  options.sink_name = sink_name;
  options.max_total_bytes = disk.max_bytes;
  options.max_segment_bytes = disk.segment_bytes;
  options.fsync = disk_fsync(disk.fsync);
  options.fsync_interval = disk.fsync_interval;
  std::unique_ptr<DiskBuffer> buffer;
  try {
    buffer = std::make_unique<DiskBuffer>(options, metrics);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open the disk buffer of sink " + sink_name + " in " +
                             options.directory + ": " + e.what());
  }
  spdlog::info("sink {}: disk buffer in {} ({} records from an earlier run to send)", sink_name,
               options.directory, buffer->records_pending());
  return buffer;
}

// Each store, buffer and the dead letters need a directory of their own: two disk buffers
// sharing one would replay each other's records into the wrong sink.
void check_distinct_directories(const AgentConfig& config) {
  std::vector<std::pair<std::string, std::filesystem::path>> used;
  for (const SinkDirectory& directory : sink_directories(config)) {
    used.emplace_back(directory.what, std::filesystem::path(directory.path).lexically_normal());
  }
  for (std::size_t i = 0; i < used.size(); ++i) {
    for (std::size_t j = i + 1; j < used.size(); ++j) {
      if (used[i].second == used[j].second) {
        throw std::runtime_error(used[i].first + " and " + used[j].first +
                                 " would share the directory " + used[i].second.string() +
                                 ": give each a directory of its own");
      }
    }
  }
}

}  // namespace

std::vector<SinkDirectory> sink_directories(const AgentConfig& config) {
  const SinksConfig& sinks = config.sinks;
  std::vector<SinkDirectory> used;
  const auto use = [&](const std::string& what, const std::string& directory) {
    used.push_back(SinkDirectory{what, directory});
  };
  if (sinks.file_store.enabled) {
    use("the file store", under_data_dir(config, sinks.file_store.directory, "store"));
    if (sinks.file_store.delivery.disk_buffer.enabled) {
      use("the disk buffer of sink file_store",
          disk_buffer_directory(config, sinks.file_store.delivery.disk_buffer, "file_store"));
    }
  }
  for (const LokiSinkConfig* loki : loki_configs(sinks)) {
    if (loki->enabled && loki->delivery.disk_buffer.enabled) {
      use("the disk buffer of sink " + loki->name,
          disk_buffer_directory(config, loki->delivery.disk_buffer, loki->name));
    }
  }
  if (config.dead_letters.enabled) use("the dead letters", dead_letter_directory(config));
  return used;
}

SinkSet::SinkSet(const AgentConfig& config, MetricsRegistry& metrics) {
  const SinksConfig& sinks = config.sinks;
  check_distinct_directories(config);
  if (sinks.file_store.enabled) {
    try {
      file_store_ = std::make_unique<FileStoreSink>(
          sinks.file_store, under_data_dir(config, sinks.file_store.directory, "store"), metrics);
    } catch (const std::exception& e) {
      throw std::runtime_error(std::string("cannot open the file store: ") + e.what());
    }
    add(config, file_store_.get(), sinks.file_store.delivery, metrics);
  }
  for (const LokiSinkConfig* loki : loki_configs(sinks)) {
    if (!loki->enabled) continue;
    auto sink = std::make_unique<LokiSink>(*loki, metrics);
    add(config, sink.get(), loki->delivery, metrics);
    owned_.push_back(std::move(sink));
  }
  if (entries_.empty()) {
    throw std::runtime_error(
        "no sink is enabled: enable sinks.file_store, sinks.loki or a named sink");
  }
  if (config.dead_letters.enabled) {
    DeadLetterStoreOptions options;
    options.directory = dead_letter_directory(config);
    options.max_bytes = config.dead_letters.max_bytes;
    options.max_segment_bytes =
        std::min<std::uint64_t>(options.max_segment_bytes, options.max_bytes / 4);
    try {
      dead_letters_ = std::make_unique<DeadLetterStore>(options, metrics);
      dead_letters_->register_sinks(names());
    } catch (const std::exception& e) {
      throw std::runtime_error("cannot open the dead-letter store in " + options.directory + ": " +
                               e.what());
    }
  }
}

SinkSet::~SinkSet() = default;

void SinkSet::add(const AgentConfig& config, Sink* sink, const SinkDeliveryConfig& delivery,
                  MetricsRegistry& metrics) {
  entries_.push_back(
      Entry{sink, delivery, open_disk_buffer(config, delivery.disk_buffer, sink->name(), metrics)});
}

std::vector<SinkLane::Options> SinkSet::lanes() const {
  std::vector<SinkLane::Options> lanes;
  for (const Entry& entry : entries_) {
    lanes.push_back(SinkLane::Options{*entry.sink, entry.delivery, entry.disk_buffer.get()});
  }
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
  for (const Entry& entry : entries_) {
    DiskBuffer* buffer = entry.disk_buffer.get();
    if (buffer == nullptr) continue;
    saver.also_make_durable([buffer] {
      if (const std::error_code error = buffer->flush()) {
        throw std::system_error(error, "disk buffer of sink " + buffer->sink_name());
      }
    });
  }
}

}  // namespace lc
