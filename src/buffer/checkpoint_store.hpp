#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <string>

#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/store_cursor.hpp"

namespace lc {

// What the agent has delivered, saved so that a restart resumes where it stopped.
struct CheckpointState {
  std::map<std::string, ContainerPosition> containers;  // by full container id
  StoreCursor store;  // file-store cursor the container positions are consistent with
  // Sources read from files (containers in file mode, tailed files): where in the file, for
  // keys of `containers`.
  std::map<std::string, FileResumePoint> container_files;
  bool operator==(const CheckpointState&) const = default;
};

// Saves and loads CheckpointState as one JSON file (format in docs/file-store.md), replaced
// atomically so that a crash at any instant leaves either the old or the new checkpoint.
class CheckpointStore {
 public:
  // 2: a position per stream, and where the last delivered record ends in its file. 1 is read.
  static constexpr int kFormatVersion = 2;

  explicit CheckpointStore(std::string path);  // e.g. <data_dir>/checkpoints.json

  // Missing file: empty state. Unreadable or corrupt file: logs an error, keeps it aside as
  // <path>.corrupt-<unix ns> for inspection, counts it, and returns an empty state.
  CheckpointState load();
  // Writes <path>.tmp, fsyncs it, renames it over <path>, fsyncs the directory. Throws
  // std::system_error on failure; the previous checkpoint then stays in place.
  void save(const CheckpointState& state);

  const std::string& path() const { return path_; }
  // Corrupt checkpoint files met by load() (set aside, state started empty).
  std::uint64_t corrupt_files() const { return corrupt_files_.load(std::memory_order_relaxed); }

  // The JSON text of a state, and back (throws std::runtime_error on anything malformed).
  static std::string to_json(const CheckpointState& state);
  static CheckpointState from_json(const std::string& text);

 private:
  void set_aside_corrupt(const std::string& why);

  std::string path_;
  std::atomic<std::uint64_t> corrupt_files_{0};
};

}  // namespace lc
