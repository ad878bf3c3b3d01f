#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>

#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/log_record.hpp"
#include "pipeline/delivery_receipt.hpp"

namespace lc {

// What has been delivered, per container: the source of truth for checkpoints. Inputs ask it
// where to resume and report how many records they submitted; the pipeline acknowledges
// records once the sink has them. Thread-safe (inputs and sinks run on different threads).
class CheckpointTracker {
 public:
  // Start-up: positions loaded from the checkpoint file and proven by the store, and where
  // containers read in file mode were in their files.
  void restore(const std::map<std::string, ContainerPosition>& positions,
               const std::map<std::string, FileResumePoint>& files = {});
  // Where to resume reading: after the last record submitted in this process (the pipeline
  // will deliver it), else after the last delivered one.
  std::optional<ContainerPosition> position(const std::string& container_id) const;
  // Likewise, the place in its json-file log (file mode only). It may lag behind position():
  // the store can prove later records delivered; the reader then skips what position() covers.
  std::optional<FileResumePoint> file_position(const std::string& container_id) const;
  // file_position() of every key that starts with `prefix` (the files of a tailed path).
  std::map<std::string, FileResumePoint> file_positions_with_prefix(
      const std::string& prefix) const;

  // `file`: where the reader stands after these records (file mode), else nullopt.
  void on_submitted(const std::string& container_id, std::uint64_t records,
                    const ContainerPosition& last,
                    const std::optional<FileResumePoint>& file = std::nullopt);
  // Records of one container arrive in order, so the last one is its new position (and, when
  // read from a file, its file_position the new place in the file).
  void acknowledge(std::span<const LogRecord> delivered);
  void acknowledge(const DeliveryReceipt& delivered);

  // The container is gone: drop its checkpoint once everything it submitted is delivered.
  void retire(const std::string& container_id);
  bool has_undelivered(const std::string& container_id) const;

  // Delivered positions, and a counter that changes whenever they do (to skip idle saves).
  std::map<std::string, ContainerPosition> positions() const;
  std::map<std::string, FileResumePoint> file_positions() const;
  std::uint64_t generation() const;

 private:
  struct Entry {
    std::optional<ContainerPosition> delivered;
    std::optional<ContainerPosition> submitted_up_to;
    std::optional<FileResumePoint> delivered_file;
    std::optional<FileResumePoint> submitted_file;
    std::uint64_t submitted = 0;
    std::uint64_t acknowledged = 0;
    bool retiring = false;
    // Where to read on: after what was submitted in this process, else what was delivered.
    const std::optional<FileResumePoint>& resume_place() const {
      return submitted_file ? submitted_file : delivered_file;
    }
  };
  void erase_if_retired(std::map<std::string, Entry>::iterator it);

  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::uint64_t generation_ = 0;
};

}  // namespace lc
