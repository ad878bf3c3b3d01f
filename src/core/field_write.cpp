#include "core/field_write.hpp"

#include <variant>

namespace lc {

FieldValue* writable_field(RecordFields& fields, const FieldPath& path) {
  if (path.root != FieldPath::Root::kFields) return nullptr;
  for (const FieldPath::Segment& segment : path.segments) {
    if (!std::holds_alternative<std::string>(segment)) return nullptr;
  }
  FieldValue* at = &fields.edit();
  for (const FieldPath::Segment& segment : path.segments) {
    const std::string& key = std::get<std::string>(segment);
    FieldValue* next = at->find(key);
    at = next != nullptr ? next : &at->set(key, FieldValue());
  }
  return at;
}

}  // namespace lc
