#include "topology/sink_set.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
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

namespace {

SinkSet::Entry build_entry(const AgentConfig& config, const SinkSpec& spec, const SinkTypes& types,
                           MetricsRegistry& metrics, HealthRegistry* health, bool disk_buffer) {
  const SinkBuildContext context{config.data_dir, metrics, health};
  SinkSet::Entry entry{factory_of(spec, types).build(spec, context), spec.delivery, nullptr};
  if (disk_buffer) entry.disk_buffer = open_disk_buffer(config, spec, metrics);
  return entry;
}

}  // namespace

SinkSet::SinkSet(const AgentConfig& config, MetricsRegistry& metrics, DeadLetterStore* dead_letters,
                 const SinkTypes& types, HealthRegistry* health)
    : types_(types), dead_letters_(dead_letters), health_(health) {
  if (auto problem = shared_sink_directory(config, types)) throw std::runtime_error(*problem);
  for (const SinkSpec& spec : config.sinks) {
    if (!spec.enabled) continue;
    entries_.push_back(build_entry(config, spec, types, metrics, health_, true));
    if (auto* store = dynamic_cast<FileStoreSink*>(entries_.back().sink.get())) file_store_ = store;
  }
  if (entries_.empty()) {
    throw std::runtime_error(
        "no sink is enabled: enable sinks.file_store, sinks.loki or a sink of your own");
  }
  if (dead_letters_ != nullptr) dead_letters_->register_sinks(names());
}

SinkSet::~SinkSet() = default;

void SinkSet::start_all() {
  std::lock_guard lock(mutex_);
  for (Entry& entry : entries_) entry.sink->start();
}

void SinkSet::stop_all(std::chrono::steady_clock::time_point deadline) {
  std::lock_guard lock(mutex_);
  for (auto entry = entries_.rbegin(); entry != entries_.rend(); ++entry) {
    entry->sink->stop(deadline);
  }
  for (Retiring& retiring : retiring_) {
    if (!retiring.stopped) retiring.entry.sink->stop(deadline);
  }
}

std::vector<SinkLane::Options> SinkSet::lanes() const {
  std::lock_guard lock(mutex_);
  std::vector<SinkLane::Options> lanes;
  for (const Entry& entry : entries_) {
    lanes.push_back(SinkLane::Options{*entry.sink, entry.delivery, entry.disk_buffer.get()});
  }
  return lanes;
}

std::vector<std::string> SinkSet::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> names;
  for (const Entry& entry : entries_) names.push_back(entry.sink->name());
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
  // One callback over the sinks of the moment: a reload adds and removes disk buffers.
  saver.also_make_durable([this] {
    std::lock_guard lock(mutex_);
    for (const Entry& entry : entries_) {
      DiskBuffer* buffer = entry.disk_buffer.get();
      if (buffer == nullptr) continue;
      if (const std::error_code error = buffer->flush()) {
        throw std::system_error(error, "disk buffer of sink " + buffer->sink_name());
      }
    }
  });
}

// ---- A reload: prepare, commit, release, reap ----

std::optional<std::string> SinkSet::cannot_change_in_place(const AgentConfig& next,
                                                           const TopologyDiff& diff) const {
  std::lock_guard lock(mutex_);
  const auto is_store = [&](const std::string& name) {
    const SinkSpec* spec = next.find_sink(name);
    return (file_store_ != nullptr && name == file_store_->name()) ||
           (spec != nullptr && spec->type == "file_store");
  };
  for (const auto* names : {&diff.sinks.added, &diff.sinks.changed, &diff.sinks.removed}) {
    for (const std::string& name : *names) {
      if (is_store(name)) {
        return "sinks." + name + ": the file store's own keys (its cursor is in the checkpoints)";
      }
    }
  }
  std::vector<std::string> kept = diff.sinks.changed;
  kept.insert(kept.end(), diff.sinks_retuned.begin(), diff.sinks_retuned.end());
  for (const std::string& name : kept) {
    const SinkDeliveryConfig& was = entry_named(name).delivery;
    const SinkDeliveryConfig& now = next.find_sink(name)->delivery;
    if (was.when_full != now.when_full || was.max_queued_bytes != now.max_queued_bytes ||
        !(was.disk_buffer == now.disk_buffer)) {
      return "sinks." + name + ": when_full, max_queued_bytes or disk_buffer (its queue's shape)";
    }
  }
  for (const Retiring& retiring : retiring_) {
    if (std::find(diff.sinks.added.begin(), diff.sinks.added.end(), retiring.name) !=
        diff.sinks.added.end()) {
      return "sinks." + retiring.name + ": its previous instance is still finishing a write";
    }
  }
  return std::nullopt;
}

SinkSet::Prepared SinkSet::prepare(const AgentConfig& next, const TopologyDiff& diff,
                                   MetricsRegistry& metrics) {
  if (auto problem = shared_sink_directory(next, types_)) throw std::runtime_error(*problem);
  Prepared prepared;
  for (const std::string& name : diff.sinks.added) {
    prepared.added.push_back(
        build_entry(next, *next.find_sink(name), types_, metrics, health_, true));
  }
  for (const std::string& name : diff.sinks.changed) {  // the disk buffer stays with the lane
    prepared.replacements.push_back(
        build_entry(next, *next.find_sink(name), types_, metrics, health_, false));
  }
  {
    std::lock_guard lock(mutex_);
    for (const std::string& name : diff.sinks_retuned) {
      prepared.retuned.push_back(
          SinkLane::Options{*entry_named(name).sink, next.find_sink(name)->delivery, nullptr});
    }
  }
  prepared.removed = diff.sinks.removed;
  for (Entry& entry : prepared.added) entry.sink->start();
  for (Entry& entry : prepared.replacements) entry.sink->start();
  return prepared;
}

Pipeline::SinkChanges SinkSet::Prepared::lane_changes() const {
  Pipeline::SinkChanges changes;
  for (const Entry& entry : added) {
    changes.added.push_back(
        SinkLane::Options{*entry.sink, entry.delivery, entry.disk_buffer.get()});
  }
  for (const Entry& entry : replacements) {
    changes.replaced.push_back(SinkLane::Options{*entry.sink, entry.delivery, nullptr});
  }
  for (const SinkLane::Options& sink : retuned) changes.replaced.push_back(sink);
  changes.removed = removed;
  return changes;
}

void SinkSet::commit(Prepared prepared) {
  std::lock_guard lock(mutex_);
  const auto retire = [&](Entry entry) {
    const auto early = std::find(early_releases_.begin(), early_releases_.end(), entry.sink.get());
    const bool released = early != early_releases_.end();
    if (released) early_releases_.erase(early);
    std::string name = entry.sink->name();
    retiring_.push_back(Retiring{std::move(name), std::move(entry), released});
  };
  const auto named = [&](const std::string& name) {
    return std::find_if(entries_.begin(), entries_.end(),
                        [&](const Entry& e) { return e.sink->name() == name; });
  };
  for (const SinkLane::Options& retuned : prepared.retuned) {
    named(retuned.sink.name())->delivery = retuned.delivery;
  }
  for (Entry& replacement : prepared.replacements) {
    const auto running = named(replacement.sink->name());
    replacement.disk_buffer = std::move(running->disk_buffer);
    retire(std::exchange(*running, std::move(replacement)));  // keeps the lane order
  }
  for (const std::string& name : prepared.removed) {
    const auto running = named(name);
    retire(std::move(*running));
    entries_.erase(running);
  }
  for (Entry& entry : prepared.added) entries_.push_back(std::move(entry));
  if (dead_letters_ != nullptr) {
    std::vector<std::string> names;
    for (const Entry& entry : entries_) names.push_back(entry.sink->name());
    dead_letters_->register_sinks(names);
  }
  released_.notify_all();
}

const SinkSet::Entry& SinkSet::entry_named(const std::string& name) const {
  return *std::find_if(entries_.begin(), entries_.end(),
                       [&](const Entry& e) { return e.sink->name() == name; });
}

void SinkSet::release(const Sink& sink) {
  std::lock_guard lock(mutex_);
  for (Retiring& retiring : retiring_) {
    if (retiring.entry.sink.get() == &sink) {
      retiring.released = true;
      released_.notify_all();
      return;
    }
  }
  early_releases_.push_back(&sink);
}

bool SinkSet::wait_for_releases(std::chrono::steady_clock::time_point deadline) {
  std::unique_lock lock(mutex_);
  return released_.wait_until(lock, deadline, [&] {
    return std::all_of(retiring_.begin(), retiring_.end(),
                       [](const Retiring& retiring) { return retiring.released; });
  });
}

bool SinkSet::stop_released(std::chrono::steady_clock::time_point deadline) {
  std::vector<Sink*> stopping;
  {
    std::lock_guard lock(mutex_);
    for (Retiring& retiring : retiring_) {
      if (retiring.released && !retiring.stopped) stopping.push_back(retiring.entry.sink.get());
    }
  }
  for (Sink* sink : stopping) sink->stop(deadline);  // a flush may take a while: not locked
  std::lock_guard lock(mutex_);
  bool waiting = false;
  for (Retiring& retiring : retiring_) {
    if (std::find(stopping.begin(), stopping.end(), retiring.entry.sink.get()) != stopping.end()) {
      retiring.stopped = true;
    }
    waiting = waiting || retiring.stopped;
  }
  return waiting;
}

void SinkSet::destroy_stopped() {
  std::vector<Entry> destroyed;  // after the lock: a disk buffer's destructor writes
  std::lock_guard lock(mutex_);
  std::erase_if(retiring_, [&](Retiring& retiring) {
    if (!retiring.stopped) return false;
    destroyed.push_back(std::move(retiring.entry));
    return true;
  });
}

}  // namespace lc
