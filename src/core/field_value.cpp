#include "core/field_value.hpp"

#include <charconv>
#include <cmath>

#include "core/json_string_writer.hpp"

namespace lc {

const FieldValue* FieldValue::find(std::string_view key) const {
  if (type() != Type::kMap) return nullptr;
  for (const FieldEntry& entry : as_map()) {
    if (entry.key == key) return &entry.value;
  }
  return nullptr;
}

FieldValue* FieldValue::find(std::string_view key) {
  return const_cast<FieldValue*>(static_cast<const FieldValue*>(this)->find(key));
}

FieldValue& FieldValue::set(std::string_view key, FieldValue value) {
  if (type() != Type::kMap) value_ = Map{};
  if (FieldValue* existing = find(key)) return *existing = std::move(value);
  return as_map().emplace_back(FieldEntry{std::string(key), std::move(value)}).value;
}

bool FieldValue::erase(std::string_view key) {
  if (type() != Type::kMap) return false;
  Map& map = as_map();
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (it->key == key) {
      map.erase(it);
      return true;
    }
  }
  return false;
}

namespace {

void append_number(std::string& out, std::int64_t value) {
  char digits[24];
  out.append(digits, std::to_chars(digits, digits + sizeof(digits), value).ptr);
}

void append_number(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char digits[32];
  // A whole number beyond 64 bits is written with an exponent: as plain digits JSON readers
  // take it for an integer too large to hold (simdjson refuses it).
  const bool huge_whole = std::abs(value) >= 9.2e18 && value == std::floor(value);
  out.append(digits, (huge_whole ? std::to_chars(digits, digits + sizeof(digits), value,
                                                 std::chars_format::scientific)
                                 : std::to_chars(digits, digits + sizeof(digits), value))
                         .ptr);
}

}  // namespace

bool FieldValue::append_json(std::string& out) const {
  switch (type()) {
    case Type::kNull:
      out += "null";
      return true;
    case Type::kBool:
      out += as_bool() ? "true" : "false";
      return true;
    case Type::kInt:
      append_number(out, as_int());
      return true;
    case Type::kFloat:
      append_number(out, as_float());
      return true;
    case Type::kString:
      return append_json_string(out, as_string());
    case Type::kMap: {
      out += '{';
      bool valid = true;
      for (const FieldEntry& entry : as_map()) {
        if (out.back() != '{') out += ',';
        valid &= append_json_string(out, entry.key);
        out += ':';
        valid &= entry.value.append_json(out);
      }
      out += '}';
      return valid;
    }
    case Type::kList: {
      out += '[';
      bool valid = true;
      for (const FieldValue& item : as_list()) {
        if (out.back() != '[') out += ',';
        valid &= item.append_json(out);
      }
      out += ']';
      return valid;
    }
  }
  return true;
}

std::string FieldValue::text() const {
  switch (type()) {
    case Type::kNull:
      return {};
    case Type::kString:
      return as_string();
    default: {
      std::string out;
      append_json(out);
      return out;
    }
  }
}

bool FieldValue::operator==(const FieldValue& other) const {
  if (type() == Type::kInt && other.type() == Type::kFloat) {
    return static_cast<double>(as_int()) == other.as_float();
  }
  if (type() == Type::kFloat && other.type() == Type::kInt) return other == *this;
  return value_ == other.value_;
}

std::size_t FieldValue::heap_bytes() const {
  switch (type()) {
    case Type::kString:
      return as_string().size();
    case Type::kMap: {
      std::size_t bytes = as_map().size() * sizeof(FieldEntry);
      for (const FieldEntry& entry : as_map()) bytes += entry.key.size() + entry.value.heap_bytes();
      return bytes;
    }
    case Type::kList: {
      std::size_t bytes = as_list().size() * sizeof(FieldValue);
      for (const FieldValue& item : as_list()) bytes += item.heap_bytes();
      return bytes;
    }
    default:
      return 0;
  }
}

}  // namespace lc
