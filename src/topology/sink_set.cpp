#include "topology/sink_set.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "buffer/dead_letter/dead_letter_store.hpp"
#include "buffer/disk_buffer/disk_buffer.hpp"
#include "pipeline/checkpoint_saver.hpp"
#include "sinks/file_store/file_store_sink.hpp"
#include "sinks/sink_directories.hpp"

namespace lc {

namespace {

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

const SinkFactory& factory_of(const SinkSpec& spec, const SinkTypes& types) {
  const SinkFactory* factory = types.find(spec.type);
  if (factory == nullptr) throw std::runtime_error("sink " + spec.name + ": no type " + spec.type);
  return *factory;
}

// The disk buffer of one sink, or null when it has none.
std::unique_ptr<DiskBuffer> open_disk_buffer(const AgentConfig& config, const SinkSpec& spec,
                                             MetricsRegistry& metrics) {
  const SinkDeliveryConfig::DiskBuffer& disk = spec.delivery.disk_buffer;
  const std::string& sink_name = spec.name;
  if (!disk.enabled) return nullptr;
  DiskBufferOptions options;
  options.directory = disk_buffer_directory(config, spec);
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

}  // namespace

std::unique_ptr<DeadLetterStore> open_dead_letter_store(const AgentConfig& config,
                                                        MetricsRegistry& metrics) {
  if (!config.dead_letters.enabled) return nullptr;
  DeadLetterStoreOptions options;
  options.directory = dead_letter_directory(config);
  options.max_bytes = config.dead_letters.max_bytes;
  options.max_segment_bytes =
      std::min<std::uint64_t>(options.max_segment_bytes, options.max_bytes / 4);
  try {
    return std::make_unique<DeadLetterStore>(options, metrics);
  } catch (const std::exception& e) {
    throw std::runtime_error("cannot open the dead-letter store in " + options.directory + ": " +
                             e.what());
  }
}

SinkSet::SinkSet(const AgentConfig& config, MetricsRegistry& metrics, DeadLetterStore* dead_letters,
                 const SinkTypes& types)
    : dead_letters_(dead_letters) {
  if (auto problem = shared_sink_directory(config, types)) throw std::runtime_error(*problem);
  const SinkBuildContext context{config.data_dir, metrics};
  for (const SinkSpec& spec : config.sinks) {
    if (!spec.enabled) continue;
    std::unique_ptr<Sink> sink = factory_of(spec, types).build(spec, context);
    if (auto* store = dynamic_cast<FileStoreSink*>(sink.get())) file_store_ = store;
    std::unique_ptr<DiskBuffer> disk_buffer = open_disk_buffer(config, spec, metrics);
    entries_.push_back(Entry{std::move(sink), spec.delivery, std::move(disk_buffer)});
  }
  if (entries_.empty()) {
    throw std::runtime_error(
        "no sink is enabled: enable sinks.file_store, sinks.loki or a sink of your own");
  }
  if (dead_letters_ != nullptr) dead_letters_->register_sinks(names());
}

SinkSet::~SinkSet() = default;

void SinkSet::start_all() {
  for (Entry& entry : entries_) entry.sink->start();
}

void SinkSet::stop_all(std::chrono::steady_clock::time_point deadline) {
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) {
    entry->sink->stop(deadline);
  }
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
  return [store = dead_letters_](const std::string& sink, const std::string& kind,
                                 const std::string& reason, std::span<const LogRecord> records) {
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
