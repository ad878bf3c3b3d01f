#include "app/store_recovery.hpp"

#include <spdlog/spdlog.h>

#include "sinks/file_store/file_store_sink.hpp"

namespace lc {

std::map<std::string, ContainerPosition> recover_positions(const CheckpointState& saved,
                                                           FileStoreSink& store) {
  std::map<std::string, ContainerPosition> positions = saved.containers;
  std::uint64_t replayed = 0;
  store.scan_since(saved.store, [&](std::string_view container_id, TimestampNs time) {
    ++replayed;
    ContainerPosition& position = positions[std::string(container_id)];
    if (time == position.time) {
      ++position.count_at_time;
    } else if (time > position.time) {
      position = ContainerPosition{time, 1};
    }
  });
  if (replayed > 0) {
    spdlog::info("recovery: {} records in the store were newer than the checkpoint; positions "
                 "moved past them", replayed);
  }
  return positions;
}

}  // namespace lc
