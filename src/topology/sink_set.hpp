#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/sink_lane.hpp"
#include "sinks/all_sinks.hpp"

namespace lc {

class CheckpointSaver;
class DeadLetterStore;
class DiskBuffer;
class FileStoreSink;
class MetricsRegistry;

// The dead-letter store the configuration asks for (null when disabled). It belongs to the
// process, not to a topology: its API and replays outlive a reload. Throws std::runtime_error.
std::unique_ptr<DeadLetterStore> open_dead_letter_store(const AgentConfig& config,
                                                        MetricsRegistry& metrics);

// The agent's sinks as configured (config.sinks, each built by its type's factory) and their
// disk buffers; one owner for all of them, destroyed after the pipeline that uses them. Records
// refused by a sink go to `dead_letters` (not owned; null: none).
class SinkSet {
 public:
  // Throws std::runtime_error (with a message for the operator) when a sink cannot be opened
  // or none is enabled.
  SinkSet(const AgentConfig& config, MetricsRegistry& metrics, DeadLetterStore* dead_letters,
          const SinkTypes& types = built_in_sink_types());
  ~SinkSet();
  SinkSet(const SinkSet&) = delete;
  SinkSet& operator=(const SinkSet&) = delete;

  // One lane per enabled sink, for the Pipeline.
  std::vector<SinkLane::Options> lanes() const;
  // Stores refused records; empty when dead letters are disabled.
  Pipeline::DeadLetterHook dead_letter_hook();
  // Sink::start() of every sink, in lane order; Sink::stop() in reverse order, once the
  // pipeline is done with them.
  void start_all();
  void stop_all(std::chrono::steady_clock::time_point deadline);
  // Makes the disk buffers durable before each checkpoint save.
  void register_flushes(CheckpointSaver& saver);

  // The file store, when enabled: its cursor is checkpointed and proves delivery.
  FileStoreSink* file_store() const { return file_store_; }
  DeadLetterStore* dead_letters() const { return dead_letters_; }
  std::vector<std::string> names() const;

 private:
  struct Entry {
    std::unique_ptr<Sink> sink;
    SinkDeliveryConfig delivery;
    std::unique_ptr<DiskBuffer> disk_buffer;  // null: none
  };

  std::vector<Entry> entries_;           // every enabled sink, in lane order
  FileStoreSink* file_store_ = nullptr;  // one of entries_' sinks
  DeadLetterStore* dead_letters_;
};

}  // namespace lc
