#include "sinks/common/batch_progress.hpp"

#include <algorithm>
#include <cstring>

namespace lc {
namespace {

void mix(std::uint64_t& hash, std::uint64_t value) {
  hash ^= value + 0x9e3779b97f4a7c15ULL + (hash << 6) + (hash >> 2);
}

}  // namespace

std::uint64_t BatchProgress::fingerprint(std::span<const LogRecord> batch) {
  std::uint64_t hash = 0;
  mix(hash, reinterpret_cast<std::uintptr_t>(batch.data()));
  mix(hash, batch.size());
  for (const LogRecord& record : batch) {
    mix(hash, static_cast<std::uint64_t>(record.time));
    mix(hash, record.index_at_time);
    mix(hash, static_cast<std::uint64_t>(record.stream));
    mix(hash, reinterpret_cast<std::uintptr_t>(record.container.get()));
    mix(hash, reinterpret_cast<std::uintptr_t>(record.file_source.get()));
    mix(hash, record.file_position.offset);
    mix(hash, record.message.size());
    // A record is known by its position; its first bytes only guard it (hashing more cost ~2 %
    // of a Kafka sink's CPU).
    std::uint64_t head = 0;
    std::memcpy(&head, record.message.data(), std::min<std::size_t>(8, record.message.size()));
    mix(hash, head);
  }
  return hash;
}

bool BatchProgress::begin(std::span<const LogRecord> batch) {
  const std::uint64_t print = fingerprint(batch);
  if (!states_.empty() && print == fingerprint_ && states_.size() == batch.size()) return true;
  fingerprint_ = print;
  states_.assign(batch.size(), State::kPending);
  refusal_reason_.clear();
  return false;
}

std::vector<std::uint32_t> BatchProgress::places_in(State state) const {
  std::vector<std::uint32_t> places;
  for (std::uint32_t i = 0; i < states_.size(); ++i) {
    if (states_[i] == state) places.push_back(i);
  }
  return places;
}

}  // namespace lc
