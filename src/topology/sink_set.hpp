#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/sink_lane.hpp"
#include "sinks/all_sinks.hpp"
#include "topology/topology_diff.hpp"

namespace lc {

class HealthRegistry;

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
//
// A reload changes them in place in three steps: prepare() builds the added and changed sinks
// (nothing changes yet), commit() swaps them in (a changed sink's disk buffer stays with its
// name) and keeps the previous instances as retiring until the pipeline's lanes release them,
// and stop_released() then destroy_stopped() (on the sink loop) end those.
class SinkSet {
 public:
  // Throws std::runtime_error (with a message for the operator) when a sink cannot be opened
  // or none is enabled.
  SinkSet(const AgentConfig& config, MetricsRegistry& metrics, DeadLetterStore* dead_letters,
          const SinkTypes& types = built_in_sink_types(), HealthRegistry* health = nullptr);
  ~SinkSet();
  SinkSet(const SinkSet&) = delete;
  SinkSet& operator=(const SinkSet&) = delete;

  // One lane per enabled sink, for the Pipeline.
  std::vector<SinkLane::Options> lanes() const;
  // Stores refused records; empty when dead letters are disabled.
  Pipeline::DeadLetterHook dead_letter_hook();
  // Sink::start() of every sink, in lane order; Sink::stop() in reverse order, once the
  // pipeline is done with them (retiring instances too).
  void start_all();
  void stop_all(std::chrono::steady_clock::time_point deadline);
  // Makes the disk buffers durable before each checkpoint save.
  void register_flushes(CheckpointSaver& saver);

  // The file store, when enabled: its cursor is checkpointed and proves delivery. Never
  // changed in place (a reload that changes it rebuilds the whole topology).
  FileStoreSink* file_store() const { return file_store_; }
  DeadLetterStore* dead_letters() const { return dead_letters_; }
  std::vector<std::string> names() const;

  struct Entry {
    std::unique_ptr<Sink> sink;
    SinkDeliveryConfig delivery;
    std::unique_ptr<DiskBuffer> disk_buffer;  // null: none
  };
  // A reload's sinks, built and started, not swapped in yet.
  struct Prepared {
    std::vector<Entry> added;
    std::vector<Entry> replacements;  // for changed sinks: their disk buffers come at commit()
    std::vector<SinkLane::Options> retuned;  // running sinks with new delivery keys
    std::vector<std::string> removed;
    // The pipeline's side of it; `released` left for the caller.
    Pipeline::SinkChanges lane_changes() const;
  };
  // Why `diff` cannot be applied to these sinks in place, or nullopt.
  std::optional<std::string> cannot_change_in_place(const AgentConfig& next,
                                                    const TopologyDiff& diff) const;
  // Throws std::runtime_error when a sink cannot be built (nothing changed then).
  Prepared prepare(const AgentConfig& next, const TopologyDiff& diff, MetricsRegistry& metrics);
  // Swaps the prepared sinks in; the previous instances retire.
  void commit(Prepared prepared);
  // The pipeline no longer uses `sink` (a retiring instance; any thread; may come before the
  // commit that retires it).
  void release(const Sink& sink);
  // Waits until `deadline` for every retiring instance to be released; true when all were.
  bool wait_for_releases(std::chrono::steady_clock::time_point deadline);
  // Sink::stop (until `deadline`) of the released retiring instances; true when some now wait
  // for destroy_stopped().
  bool stop_released(std::chrono::steady_clock::time_point deadline);
  // Destroys the stopped retiring instances; on the sink loop, where they ran.
  void destroy_stopped();

 private:
  struct Retiring {
    std::string name;
    Entry entry;
    bool released = false;  // its lane no longer uses it
    bool stopped = false;   // Sink::stop called: destroy_stopped() takes it
  };

  const Entry& entry_named(const std::string& name) const;  // one that runs; under mutex_

  const SinkTypes& types_;
  mutable std::mutex mutex_;  // entries_ and retiring_: reloads against saves and the status
  std::condition_variable released_;
  std::vector<Entry> entries_;               // every enabled sink, in lane order
  std::vector<Retiring> retiring_;           // replaced or removed, until their lanes let go
  std::vector<const Sink*> early_releases_;  // released before the commit that retires them
  FileStoreSink* file_store_ = nullptr;      // one of entries_' sinks
  DeadLetterStore* dead_letters_;
  HealthRegistry* health_;  // handed to the sinks built; may be null
};

}  // namespace lc
