#include "topology/store_recovery.hpp"

#include <spdlog/spdlog.h>

#include "pipeline/file_checkpoints.hpp"
#include "sinks/file_store/file_store_sink.hpp"

namespace lc {

namespace {

// The stored record ends at or before a place already known in the same file: the store cursor
// may lag the checkpoint (it moves at group boundaries only), so the scan can meet records the
// checkpoint already holds, and their older place must not replace a newer one.
bool placed_before(const std::map<std::string, FileResumePoint>& places, const std::string& key,
                   const FileResumePoint& stored, LogStream stream = LogStream::kStdout) {
  const auto known = places.find(key);
  if (known == places.end()) return false;
  // Per stream: a stream's multi-line record may end after the other stream's later ones.
  const FilePosition& end = known->second.stream_end(stream);
  const FilePosition& stored_end = stored.stream_end(stream);
  // dockerd's rotations reuse inodes at once: the same identity is the same file only with the
  // same first-line fingerprint (0: not known yet).
  const bool same_file =
      stored_end.file == end.file && (stored.fingerprint == 0 || known->second.fingerprint == 0 ||
                                      stored.fingerprint == known->second.fingerprint);
  return same_file && stored_end.offset <= end.offset;
}

// The checkpoint already holds this container record (by its stream's rank, or by its bytes
// when read from a file): it changes nothing.
bool checkpointed(const CheckpointState& saved, const std::string& key,
                  const StoredRecord& record) {
  const auto position = saved.containers.find(key);
  if (!record.time_estimated && position != saved.containers.end() &&
      position->second.covers(record.stream, record.time, record.rank)) {
    return true;
  }
  return record.file_position &&
         placed_before(saved.container_files, key, *record.file_position, record.stream);
}

}  // namespace

CheckpointState recover_positions(const CheckpointState& saved, FileStoreSink& store) {
  CheckpointState recovered = saved;
  std::uint64_t replayed = 0;
  // Per container: did its last new stored record carry its place in the json-file log?
  std::map<std::string, bool> placed_by_file;
  store.scan_since(saved.store, [&](const StoredRecord& record) {
    ++replayed;
    if (!record.file.empty()) {
      // A tailed file: the record says where in the file the input stood after it.
      // A key per file: the rotated file's records and the new file's keep a place each.
      const std::string key = file_checkpoint_key(record.file, record.file_position->position.file);
      recovered.containers[key].advance(LogStream::kStdout, record.time, 0);
      if (!placed_before(recovered.container_files, key, *record.file_position)) {
        recovered.container_files[key] = *record.file_position;
      }
      return;
    }
    const std::string key(record.container_id);
    if (checkpointed(saved, key, record)) return;
    if (!record.time_estimated) {
      recovered.containers[key].advance(record.stream, record.time, record.rank);
    }
    placed_by_file[key] = record.file_position.has_value();
    if (record.file_position) recovered.container_files[key] = *record.file_position;
  });
  // The file place and the position it goes with move together (see CheckpointTracker); a
  // container whose last stored record came through the API keeps a stale place, which the
  // follower recognises by the mismatch.
  for (const auto& [key, placed] : placed_by_file) {
    if (placed) recovered.container_files[key].container_position = recovered.containers[key];
  }
  if (replayed > 0) {
    spdlog::info(
        "recovery: {} records in the store were newer than the checkpoint; positions "
        "moved past them",
        replayed);
  }
  return recovered;
}

}  // namespace lc
