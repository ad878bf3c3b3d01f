#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "core/container_position.hpp"
#include "core/log_record.hpp"

namespace lc {

// What has been delivered, per container: the source of truth for checkpoints. Inputs ask it
// where to resume and report how many records they submitted; the pipeline acknowledges
// records once the sink has them. Thread-safe (inputs and sinks run on different threads).
class CheckpointTracker {
 public:
  // Start-up: positions loaded from the checkpoint file and proven by the store.
  void restore(const std::map<std::string, ContainerPosition>& positions);
  // Where to resume reading: after the last record submitted in this process (the pipeline
  // will deliver it), else after the last delivered one.
  std::optional<ContainerPosition> position(const std::string& container_id) const;

  void on_submitted(const std::string& container_id, std::uint64_t records,
                    const ContainerPosition& last);
  // Records of one container arrive in order, so the last one is its new position.
  void acknowledge(std::span<const LogRecord> delivered);

  // The container is gone: drop its checkpoint once everything it submitted is delivered.
  void retire(const std::string& container_id);
  bool has_undelivered(const std::string& container_id) const;

  // Delivered positions, and a counter that changes whenever they do (to skip idle saves).
  std::map<std::string, ContainerPosition> positions() const;
  std::uint64_t generation() const;

 private:
  struct Entry {
    std::optional<ContainerPosition> delivered;
    std::optional<ContainerPosition> submitted_up_to;
    std::uint64_t submitted = 0;
    std::uint64_t acknowledged = 0;
    bool retiring = false;
  };
  void erase_if_retired(std::map<std::string, Entry>::iterator it);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace lc
