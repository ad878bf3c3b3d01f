#include "pipeline/checkpoint_tracker.hpp"

namespace lc {

void CheckpointTracker::restore(const std::map<std::string, ContainerPosition>& positions,
                                const std::map<std::string, FileResumePoint>& files) {
  std::lock_guard lock(mutex_);
  for (const auto& [id, position] : positions) entries_[id].delivered = position;
  // A file place only means something next to its container's position.
  for (const auto& [id, file] : files) {
    if (const auto it = entries_.find(id); it != entries_.end()) it->second.delivered_file = file;
  }
  ++generation_;
}

std::optional<ContainerPosition> CheckpointTracker::position(
    const std::string& container_id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(container_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second.submitted_up_to ? it->second.submitted_up_to : it->second.delivered;
}

std::optional<FileResumePoint> CheckpointTracker::file_position(
    const std::string& container_id) const {
  std::lock_guard lock(mutex_);
  const auto it = entries_.find(container_id);
  if (it == entries_.end()) return std::nullopt;
  return it->second.resume_place();
}

std::map<std::string, FileResumePoint> CheckpointTracker::file_positions_with_prefix(
    const std::string& prefix) const {
  std::lock_guard lock(mutex_);
  std::map<std::string, FileResumePoint> result;
  for (auto it = entries_.lower_bound(prefix);
       it != entries_.end() && it->first.starts_with(prefix); ++it) {
    if (const auto& place = it->second.resume_place()) {
      result.emplace(it->first, *place);
    }
  }
  return result;
}

void CheckpointTracker::on_submitted(const std::string& container_id, std::uint64_t records,
                                     const ContainerPosition& last,
                                     const std::optional<FileResumePoint>& file) {
  std::lock_guard lock(mutex_);
  Entry& entry = entries_[container_id];
  entry.submitted += records;
  entry.submitted_up_to = last;
  entry.submitted_file = file;
  // The file place and the position it was taken with move together: a follower that finds
  // them apart knows the position was moved by something else (the API, an upgrade).
  if (entry.submitted_file) entry.submitted_file->container_position = last;
  entry.retiring = false;  // a container that logs again is not gone
}

void CheckpointTracker::acknowledge(std::span<const LogRecord> delivered) {
  acknowledge(DeliveryReceipt::of(delivered));
}

void CheckpointTracker::acknowledge(const DeliveryReceipt& delivered) {
  std::lock_guard lock(mutex_);
  for (const DeliveryReceipt::Source& source : delivered.sources) {
    const auto it = entries_.try_emplace(source.key).first;
    Entry& entry = it->second;
    entry.delivered = entry.delivered ? ContainerPosition::later(*entry.delivered, source.position)
                                      : source.position;
    // Read through the API, the file place of an earlier run in file mode is stale now.
    entry.delivered_file = source.file;
    if (entry.delivered_file) entry.delivered_file->container_position = *entry.delivered;
    entry.acknowledged += source.records;
    erase_if_retired(it);
  }
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

std::map<std::string, FileResumePoint> CheckpointTracker::file_positions() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, FileResumePoint> result;
  for (const auto& [id, entry] : entries_) {
    if (entry.delivered && entry.delivered_file) result.emplace(id, *entry.delivered_file);
  }
  return result;
}

std::uint64_t CheckpointTracker::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

}  // namespace lc
