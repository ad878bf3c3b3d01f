#pragma once

#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>

namespace lc {

// The primitives of the on-disk payloads (docs/disk-buffer.md): little-endian fixed-width
// integers, LEB128 varints and varint-length-prefixed byte strings.

inline void put_u8(std::string& out, std::uint8_t value) {
  out.push_back(static_cast<char>(value));
}

inline void store_u32_le(char* at, std::uint32_t value) {
  for (int i = 0; i < 4; ++i) at[i] = static_cast<char>((value >> (8 * i)) & 0xff);
}

inline std::uint32_t load_u32_le(const char* at) {
  std::uint32_t value = 0;
  for (int i = 3; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(at[i]);
  return value;
}

inline void put_u64_le(std::string& out, std::uint64_t value) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

inline std::uint64_t load_u64_le(const char* at) {
  std::uint64_t value = 0;
  for (int i = 7; i >= 0; --i) value = (value << 8) | static_cast<unsigned char>(at[i]);
  return value;
}

inline void put_varint(std::string& out, std::uint64_t value) {
  while (value >= 0x80) {
    out.push_back(static_cast<char>((value & 0x7f) | 0x80));
    value >>= 7;
  }
  out.push_back(static_cast<char>(value));
}

inline void put_bytes(std::string& out, std::string_view bytes) {
  put_varint(out, bytes.size());
  out.append(bytes);
}

// Reads the same primitives from bytes that came from disk, so trusts nothing: every get_*
// returns false, reading nothing further, when the input is too short or a value is out of
// range. Views returned by get_bytes point into the input.
class ByteReader {
 public:
  explicit ByteReader(std::string_view input) : rest_(input) {}

  bool empty() const { return rest_.empty(); }
  std::size_t remaining() const { return rest_.size(); }

  bool get_u8(std::uint8_t& out) {
    if (rest_.empty()) return false;
    out = static_cast<std::uint8_t>(rest_.front());
    rest_.remove_prefix(1);
    return true;
  }

  bool get_u64_le(std::uint64_t& out) {
    if (rest_.size() < 8) return false;
    out = load_u64_le(rest_.data());
    rest_.remove_prefix(8);
    return true;
  }

  bool get_varint(std::uint64_t& out) {
    std::uint64_t value = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (rest_.empty()) return false;
      const auto byte = static_cast<std::uint8_t>(rest_.front());
      rest_.remove_prefix(1);
      // The tenth byte may only carry the top bit of a 64-bit value.
      if (shift == 63 && byte > 1) return false;
      value |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
      if ((byte & 0x80) == 0) {
        out = value;
        return true;
      }
    }
    return false;
  }

  bool get_varint32(std::uint32_t& out) {
    std::uint64_t value = 0;
    if (!get_varint(value) || value > std::numeric_limits<std::uint32_t>::max()) return false;
    out = static_cast<std::uint32_t>(value);
    return true;
  }

  bool get_bytes(std::string_view& out) {
    std::uint64_t size = 0;
    if (!get_varint(size) || size > rest_.size()) return false;
    out = rest_.substr(0, static_cast<std::size_t>(size));
    rest_.remove_prefix(static_cast<std::size_t>(size));
    return true;
  }

  bool get_string(std::string& out) {
    std::string_view view;
    if (!get_bytes(view)) return false;
    out.assign(view);
    return true;
  }

 private:
  std::string_view rest_;
};

}  // namespace lc
