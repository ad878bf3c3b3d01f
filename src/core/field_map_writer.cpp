#include "core/field_map_writer.hpp"

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

FieldValue& FieldMapWriter::slot(std::string_view key) {
  if (!index_.empty()) {
    if (const auto found = index_.find(key); found != index_.end())
      return map_[found->second].value;
  } else {
    for (FieldEntry& entry : map_) {
      if (entry.key == key) return entry.value;
    }
  }
  FieldEntry& added = map_.emplace_back();
  added.key.assign(key);
  if (!index_.empty()) {
    index_.emplace(added.key, map_.size() - 1);
  } else if (map_.size() == kIndexFrom) {
    index_all();
  }
  return added.value;
}

}  // namespace lc
