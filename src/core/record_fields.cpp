#include "core/record_fields.hpp"

namespace lc {

RecordFields::RecordFields(FieldValue::Map map) {
  if (!map.empty()) map_ = std::make_shared<FieldValue>(std::move(map));
}

FieldValue& RecordFields::edit() {
  if (!map_) {
    map_ = std::make_shared<FieldValue>(FieldValue::Map{});
  } else if (map_.use_count() > 1) {
    map_ = std::make_shared<FieldValue>(*map_);
  }
  return *map_;
}

std::size_t RecordFields::memory_bytes() const {
  return map_ ? sizeof(FieldValue) + map_->heap_bytes() : 0;
}

bool RecordFields::operator==(const RecordFields& other) const {
  const FieldValue* mine = get();
  const FieldValue* theirs = other.get();
  if (mine == nullptr || theirs == nullptr) return mine == theirs;
  return *mine == *theirs;
}

}  // namespace lc
