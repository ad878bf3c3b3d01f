#include "pipeline/checkpoint_tracker.hpp"

namespace lc {

void CheckpointTracker::restore(const std::map<std::string, ContainerPosition>& positions) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, position] : positions) entries_[id].delivered = position;
  ++generation_;
}

std::optional<ContainerPosition> CheckpointTracker::position(const std::string& container_id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(container_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second.submitted_up_to ? it->second.submitted_up_to : it->second.delivered;
}

void CheckpointTracker::on_submitted(const std::string& container_id, std::uint64_t records,
                                     const ContainerPosition& last) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[container_id];
  entry.submitted += records;
  entry.submitted_up_to = last;
  entry.retiring = false;  // a container that logs again is not gone
}

void CheckpointTracker::acknowledge(std::span<const LogRecord> delivered) {
  std::lock_guard lock(mutex_);
  auto it = entries_.end();
  for (const LogRecord& record : delivered) {
    if (it == entries_.end() || it->first != record.container->id) {
      if (it != entries_.end()) erase_if_retired(it);
      it = entries_.try_emplace(record.container->id).first;
    }
    it->second.delivered = it->second.delivered
                               ? ContainerPosition::later(*it->second.delivered, record.position_after())
                               : record.position_after();
    ++it->second.acknowledged;
  }
  if (it != entries_.end()) erase_if_retired(it);
  ++generation_;
}

void CheckpointTracker::retire(const std::string& container_id) {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(container_id);
  if (it == entries_.end()) return;
  it->second.retiring = true;
  erase_if_retired(it);
  ++generation_;
}

bool CheckpointTracker::has_undelivered(const std::string& container_id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(container_id);
  return it != entries_.end() && it->second.acknowledged < it->second.submitted;
}

void CheckpointTracker::erase_if_retired(std::map<std::string, Entry>::iterator it) {
  if (it->second.retiring && it->second.acknowledged >= it->second.submitted) entries_.erase(it);
}

std::map<std::string, ContainerPosition> CheckpointTracker::positions() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, ContainerPosition> result;
  for (const auto& [id, entry] : entries_) {
    if (entry.delivered) result.emplace(id, *entry.delivered);
  }
  return result;
}

std::uint64_t CheckpointTracker::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace lc
