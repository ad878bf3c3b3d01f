#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "pipeline/pipeline.hpp"
#include "pipeline/sink_lane.hpp"

namespace lc {

class CheckpointSaver;
class DeadLetterStore;
class DiskBuffer;
class FileStoreSink;
class MetricsRegistry;
class Sink;

// A directory an enabled sink writes to, and what writes there ("the file store").
struct SinkDirectory {
  std::string what;
  std::string path;
};
// Every such directory: the file store, the disk buffers, the dead letters.
std::vector<SinkDirectory> sink_directories(const AgentConfig& config);

// The agent's sinks as configured: the file store, Loki and the named sinks, their disk
// buffers and the dead-letter store; one owner for all of them, destroyed after the pipeline
// that uses them.
class SinkSet {
 public:
  // Throws std::runtime_error (with a message for the operator) when a sink cannot be opened
  // or none is enabled.
  SinkSet(const AgentConfig& config, MetricsRegistry& metrics);
  ~SinkSet();
  SinkSet(const SinkSet&) = delete;
  SinkSet& operator=(const SinkSet&) = delete;

  // One lane per enabled sink, for the Pipeline.
  std::vector<SinkLane::Options> lanes() const;
  // Stores refused records; empty when dead letters are disabled.
  Pipeline::DeadLetterHook dead_letter_hook();
  // Makes the disk buffers durable before each checkpoint save.
  void register_flushes(CheckpointSaver& saver);

  FileStoreSink* file_store() const { return file_store_.get(); }
  DeadLetterStore* dead_letters() const { return dead_letters_.get(); }
  std::vector<std::string> names() const;

 private:
  struct Entry {
    Sink* sink;
    SinkDeliveryConfig delivery;
    std::unique_ptr<DiskBuffer> disk_buffer;  // null: none
  };
  void add(const AgentConfig& config, Sink* sink, const SinkDeliveryConfig& delivery,
           MetricsRegistry& metrics);

  std::unique_ptr<FileStoreSink> file_store_;
  std::vector<std::unique_ptr<Sink>> owned_;  // the other sinks
  std::vector<Entry> entries_;                // every sink, in lane order
  std::unique_ptr<DeadLetterStore> dead_letters_;
};

}  // namespace lc
