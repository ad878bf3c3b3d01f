#pragma once

#include <cstddef>
#include <list>
#include <unordered_map>
#include <utility>

namespace lc {

// A map that holds at most `capacity` keys: adding one more forgets the least recently used
// (throttle's buckets, sample's counters, dedup's recent records), so that keys made from
// record data cannot grow memory without bound. Not thread-safe: its owner locks.
template <typename Key, typename Value, typename Hash = std::hash<Key>>
class BoundedKeyMap {
 public:
  explicit BoundedKeyMap(std::size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // The value of `key`, made by `make()` when absent; `evicted` tells whether another key was
  // forgotten to make room. The entry becomes the most recently used.
  template <typename Make>
  Value& find_or_add(const Key& key, Make&& make, bool& evicted) {
    evicted = false;
    if (auto found = index_.find(key); found != index_.end()) {
      order_.splice(order_.begin(), order_, found->second);
      return found->second->second;
    }
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
      evicted = true;
    }
    order_.emplace_front(key, make());
    index_.emplace(key, order_.begin());
    return order_.front().second;
  }

  std::size_t size() const { return index_.size(); }
  std::size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<Key, Value>;
  std::size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<Key, typename std::list<Entry>::iterator, Hash> index_;
};

}  // namespace lc
