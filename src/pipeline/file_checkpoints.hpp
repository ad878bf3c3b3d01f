#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "buffer/checkpoint_store.hpp"
#include "core/file_position.hpp"
#include "core/log_record.hpp"
#include "pipeline/checkpoint_tracker.hpp"

namespace lc {

// The checkpoint key of one file of a tailed path: "file:<path>@<device>:<inode>". A path has
// one key per file still being read: during rotate_wait both the rotated file and the new one
// have a place, and neither may stand for the other.
std::string file_checkpoint_key(std::string_view path, FileIdentity file);
// The key of a whole path, as saved before keys were per file ("file:<path>").
std::string legacy_file_checkpoint_key(std::string_view path);
// The file a per-file key of `path` names; nullopt for any other key.
std::optional<FileIdentity> file_of_checkpoint_key(std::string_view key, std::string_view path);

// Renames the legacy per-path keys of tailed files to per-file keys (the file is the one their
// place is in). A per-file key already there for that file is newer (the store's proof or a
// later run) and wins.
void upgrade_legacy_file_checkpoints(CheckpointState& state);

// What the file input (inputs/file) reads from and tells the CheckpointTracker.
class FileCheckpoints {
 public:
  explicit FileCheckpoints(CheckpointTracker& tracker) : tracker_(tracker) {}

  // Before `records` (of one path, possibly of several files) go to the pipeline.
  void on_submitted(std::span<const LogRecord> records);
  // Where to resume each file of `path` still being read, as submitted or delivered.
  std::vector<FileResumePoint> resume_points(const std::string& path) const;
  // A file of `path` is read to its end (or lost), after its last records were submitted.
  void on_file_finished(const std::string& path, FileIdentity file);
  // `path` is gone and all its files are finished, after its last records were submitted.
  void on_path_gone(const std::string& path);

 private:
  std::map<std::string, FileResumePoint> places_of(const std::string& path) const;

  CheckpointTracker& tracker_;
};

}  // namespace lc
