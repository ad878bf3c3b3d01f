#include "core/field_map_writer.hpp"

#include <optional>

namespace lc {

namespace {
constexpr std::size_t kIndexFrom = 16;
}  // namespace

FieldMapWriter::FieldMapWriter(FieldValue::Map& map, std::size_t additions) : map_(map) {
  map_.reserve(map_.size() + additions);
  if (map_.size() >= kIndexFrom) index_all();
}

void FieldMapWriter::index_all() {
  for (std::size_t i = 0; i < map_.size(); ++i) index_.emplace(map_[i].key, i);
}

void FieldMapWriter::set(std::string_view key, FieldValue value) {
  std::optional<std::size_t> at;
  if (!index_.empty()) {
    if (const auto found = index_.find(key); found != index_.end()) at = found->second;
  } else {
    for (std::size_t i = 0; i < map_.size() && !at; ++i) {
      if (map_[i].key == key) at = i;
    }
  }
  if (at) {
    map_[*at].value = std::move(value);
    return;
  }
  map_.push_back(FieldEntry{std::string(key), std::move(value)});
  if (!index_.empty()) {
    index_.emplace(map_.back().key, map_.size() - 1);
  } else if (map_.size() == kIndexFrom) {
    index_all();
  }
}

}  // namespace lc
