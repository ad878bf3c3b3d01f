#include "buffer/disk_buffer/field_value_codec.hpp"

#include <bit>
#include <cstdint>

namespace lc {
namespace {

// The type byte: the FieldValue::Type, numbered as it is (stable: part of the format).
static_assert(static_cast<int>(FieldValue::Type::kNull) == 0 &&
              static_cast<int>(FieldValue::Type::kList) == 6);

std::uint64_t zigzag(std::int64_t value) {
  return (static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63);
}

std::int64_t unzigzag(std::uint64_t value) {
  return static_cast<std::int64_t>(value >> 1) ^ -static_cast<std::int64_t>(value & 1);
}

bool decode_at_depth(ByteReader& in, FieldValue& out, int depth);

bool decode_map(ByteReader& in, FieldValue& out, int depth) {
  std::uint64_t count = 0;
  // Each entry takes at least two bytes: a count beyond that is corrupt, not a huge map.
  if (!in.get_varint(count) || count > in.remaining() / 2) return false;
  FieldValue::Map map;
  map.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    FieldEntry entry;
    if (!in.get_string(entry.key) || !decode_at_depth(in, entry.value, depth + 1)) return false;
    map.push_back(std::move(entry));
  }
  out = FieldValue(std::move(map));
  return true;
}

bool decode_list(ByteReader& in, FieldValue& out, int depth) {
  std::uint64_t count = 0;
  if (!in.get_varint(count) || count > in.remaining()) return false;  // a value takes a byte
  FieldValue::List list;
  list.reserve(static_cast<std::size_t>(count));
  for (std::uint64_t i = 0; i < count; ++i) {
    list.emplace_back();
    if (!decode_at_depth(in, list.back(), depth + 1)) return false;
  }
  out = FieldValue(std::move(list));
  return true;
}

bool decode_at_depth(ByteReader& in, FieldValue& out, int depth) {
  std::uint8_t type = 0;
  if (depth > kMaxFieldDepth || !in.get_u8(type)) return false;
  switch (static_cast<FieldValue::Type>(type)) {
    case FieldValue::Type::kNull:
      out = FieldValue();
      return true;
    case FieldValue::Type::kBool: {
      std::uint8_t value = 0;
      if (!in.get_u8(value) || value > 1) return false;
      out = FieldValue(value == 1);
      return true;
    }
    case FieldValue::Type::kInt: {
      std::uint64_t value = 0;
      if (!in.get_varint(value)) return false;
      out = FieldValue(unzigzag(value));
      return true;
    }
    case FieldValue::Type::kFloat: {
      std::uint64_t bits = 0;
      if (!in.get_u64_le(bits)) return false;
      out = FieldValue(std::bit_cast<double>(bits));
      return true;
    }
    case FieldValue::Type::kString: {
      std::string value;
      if (!in.get_string(value)) return false;
      out = FieldValue(std::move(value));
      return true;
    }
    case FieldValue::Type::kMap:
      return decode_map(in, out, depth);
    case FieldValue::Type::kList:
      return decode_list(in, out, depth);
  }
  return false;
}

}  // namespace

void append_field_value(std::string& out, const FieldValue& value) {
  put_u8(out, static_cast<std::uint8_t>(value.type()));
  switch (value.type()) {
    case FieldValue::Type::kNull:
      return;
    case FieldValue::Type::kBool:
      put_u8(out, value.as_bool() ? 1 : 0);
      return;
    case FieldValue::Type::kInt:
      put_varint(out, zigzag(value.as_int()));
      return;
    case FieldValue::Type::kFloat:
      put_u64_le(out, std::bit_cast<std::uint64_t>(value.as_float()));
      return;
    case FieldValue::Type::kString:
      put_bytes(out, value.as_string());
      return;
    case FieldValue::Type::kMap:
      put_varint(out, value.as_map().size());
      for (const FieldEntry& entry : value.as_map()) {
        put_bytes(out, entry.key);
        append_field_value(out, entry.value);
      }
      return;
    case FieldValue::Type::kList:
      put_varint(out, value.as_list().size());
      for (const FieldValue& item : value.as_list()) append_field_value(out, item);
      return;
  }
}

bool decode_field_value(ByteReader& in, FieldValue& out) { return decode_at_depth(in, out, 0); }

}  // namespace lc
