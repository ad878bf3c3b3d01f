#include "core/field_write.hpp"

#include <variant>

namespace lc {

FieldValue* writable_field(RecordFields& fields, const FieldPath& path) {
  if (path.root != FieldPath::Root::kFields) return nullptr;
  for (const FieldPath::Segment& segment : path.segments) {
    if (!std::holds_alternative<std::string>(segment)) return nullptr;
  }
  FieldValue* at = &fields.edit();
  for (std::size_t i = 0; i < path.segments.size(); ++i) {
    const std::string& key = std::get<std::string>(path.segments[i]);
    FieldValue* next = at->find(key);
    const bool last = i + 1 == path.segments.size();
    if (next == nullptr) {
      next = &at->set(key, last ? FieldValue() : FieldValue(FieldValue::Map{}));
    } else if (!last && next->type() != FieldValue::Type::kMap) {
      return nullptr;
    }
    at = next;
  }
  return at;
}

}  // namespace lc
