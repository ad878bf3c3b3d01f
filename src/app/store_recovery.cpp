#include "app/store_recovery.hpp"

#include <spdlog/spdlog.h>

#include "pipeline/file_checkpoints.hpp"
#include "sinks/file_store/file_store_sink.hpp"

namespace lc {

CheckpointState recover_positions(const CheckpointState& saved, FileStoreSink& store) {
  CheckpointState recovered = saved;
  std::uint64_t replayed = 0;
  store.scan_since(saved.store, [&](const StoredRecord& record) {
    ++replayed;
    if (!record.file.empty()) {
      // A tailed file: the record says where in the file the input stood after it.
      // A key per file: the rotated file's records and the new file's keep a place each.
      const std::string key = file_checkpoint_key(record.file, record.file_position.position.file);
      ContainerPosition& position = recovered.containers[key];
      position = ContainerPosition::later(position, ContainerPosition{record.time, 1});
      recovered.container_files[key] = record.file_position;
      return;
    }
    ContainerPosition& position = recovered.containers[std::string(record.container_id)];
    if (record.time == position.time) {
      ++position.count_at_time;
    } else if (record.time > position.time) {
      position = ContainerPosition{record.time, 1};
    }
  });
  if (replayed > 0) {
    spdlog::info("recovery: {} records in the store were newer than the checkpoint; positions "
                 "moved past them", replayed);
  }
  return recovered;
}

}  // namespace lc
