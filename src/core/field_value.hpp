#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace lc {

struct FieldEntry;

// One typed value of a record's structured fields (docs/fields.md): null, bool, integer,
// float, string, or a nested map or list. Maps keep their keys in insertion order (what a
// parser read is written back in the same order). Equality is typed: 500 and "500" differ,
// and an integer equals a float of the same value (JSON does not tell 1 from 1.0 reliably).
class FieldValue {
 public:
  enum class Type { kNull, kBool, kInt, kFloat, kString, kMap, kList };
  using Map = std::vector<FieldEntry>;
  using List = std::vector<FieldValue>;

  // Defined below, where FieldEntry is complete (a map holds FieldEntry).
  FieldValue();
  FieldValue(std::nullptr_t);
  FieldValue(bool value);
  FieldValue(int value);
  FieldValue(std::int64_t value);
  FieldValue(double value);
  FieldValue(std::string value);
  FieldValue(std::string_view value);
  FieldValue(const char* value);
  FieldValue(Map value);
  FieldValue(List value);

  Type type() const { return static_cast<Type>(value_.index()); }
  bool is_null() const { return type() == Type::kNull; }
  // The value as that type; only when type() says so.
  bool as_bool() const { return std::get<bool>(value_); }
  std::int64_t as_int() const { return std::get<std::int64_t>(value_); }
  double as_float() const { return std::get<double>(value_); }
  const std::string& as_string() const { return std::get<std::string>(value_); }
  const Map& as_map() const { return std::get<Map>(value_); }
  Map& as_map() { return std::get<Map>(value_); }
  const List& as_list() const { return std::get<List>(value_); }
  List& as_list() { return std::get<List>(value_); }

  // Make this value a string, an empty map or an empty list where it stands and return it:
  // parsers fill a value in place rather than moving each one through temporaries.
  void emplace_string(std::string_view text);
  Map& emplace_map();
  List& emplace_list();

  // A map's value under `key`, or null when this is not a map or has no such key.
  const FieldValue* find(std::string_view key) const;
  FieldValue* find(std::string_view key);
  // Sets `key` in a map (replacing its value in place, or appending it); a value that is not a
  // map becomes an empty map first.
  FieldValue& set(std::string_view key, FieldValue value);
  // Removes `key` from a map; false when there was none.
  bool erase(std::string_view key);

  // As text, for templates and labels: a string as is, numbers in their shortest exact form,
  // true/false, null as "", a map or list as compact JSON.
  std::string text() const;
  // Appends the value as JSON (strings escaped, invalid UTF-8 repaired; a non-finite float is
  // null). False when some string was not valid UTF-8 (and was repaired).
  bool append_json(std::string& out) const;

  bool operator==(const FieldValue& other) const;

  // Memory held beyond sizeof(FieldValue), for the pipeline's byte bound.
  std::size_t heap_bytes() const;

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, Map, List> value_;
};

struct FieldEntry {
  std::string key;
  FieldValue value;
  bool operator==(const FieldEntry&) const = default;
};

inline FieldValue::FieldValue() = default;
inline FieldValue::FieldValue(std::nullptr_t) {}
inline FieldValue::FieldValue(bool value) : value_(value) {}
inline FieldValue::FieldValue(int value) : value_(std::int64_t{value}) {}
inline FieldValue::FieldValue(std::int64_t value) : value_(value) {}
inline FieldValue::FieldValue(double value) : value_(value) {}
inline FieldValue::FieldValue(std::string value) : value_(std::move(value)) {}
inline FieldValue::FieldValue(std::string_view value) : value_(std::string(value)) {}
inline FieldValue::FieldValue(const char* value) : value_(std::string(value)) {}
inline FieldValue::FieldValue(Map value) : value_(std::move(value)) {}
inline FieldValue::FieldValue(List value) : value_(std::move(value)) {}
inline void FieldValue::emplace_string(std::string_view text) { value_.emplace<std::string>(text); }
inline FieldValue::Map& FieldValue::emplace_map() { return value_.emplace<Map>(); }
inline FieldValue::List& FieldValue::emplace_list() { return value_.emplace<List>(); }

}  // namespace lc
