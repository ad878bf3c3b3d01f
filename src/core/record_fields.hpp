#pragma once

#include <cstddef>
#include <memory>

#include "core/field_value.hpp"

namespace lc {

// A record's structured fields (docs/fields.md): an ordered map of typed values. The copies of
// a record (one per sink) share one map, copied only when one of them writes to it; a record
// without fields holds one null pointer, so the inputs' fast paths pay nothing for them.
class RecordFields {
 public:
  RecordFields() = default;
  explicit RecordFields(FieldValue::Map map);

  bool empty() const { return !map_ || map_->as_map().empty(); }
  // The fields as a map value, or null when there are none.
  const FieldValue* get() const { return empty() ? nullptr : map_.get(); }
  // The map to write into: created when there is none, copied first when shared.
  FieldValue& edit();
  void clear() { map_.reset(); }

  // Memory held, for the pipeline's byte bound: the whole map for every copy (a copy must count
  // the same as the original, as the message does).
  std::size_t memory_bytes() const;

  // By value (typed equality, docs/fields.md), not by sharing.
  bool operator==(const RecordFields& other) const;

 private:
  std::shared_ptr<FieldValue> map_;
};

}  // namespace lc
