#include "core/field_write.hpp"

#include <variant>

#include "core/record_template.hpp"

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

bool erase_field(RecordFields& fields, const FieldPath& path) {
  if (path.root != FieldPath::Root::kFields || path.segments.empty() ||
      read_path_field(path, fields.get()) == nullptr) {
    return false;
  }
  FieldPath parent = path;
  parent.segments.pop_back();
  const auto* last = std::get_if<std::string>(&path.segments.back());
  FieldValue* map = parent.segments.empty() ? &fields.edit() : writable_field(fields, parent);
  return last != nullptr && map != nullptr && map->type() == FieldValue::Type::kMap &&
         map->erase(*last);
}

}  // namespace lc
