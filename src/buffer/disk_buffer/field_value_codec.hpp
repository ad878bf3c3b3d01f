#pragma once

#include <string>

#include "buffer/disk_buffer/binary_encoding.hpp"
#include "core/field_value.hpp"

namespace lc {

// The binary form of a record's structured fields in disk buffer and dead-letter frames
// (docs/disk-buffer.md): a type byte, then the value (zigzag varint integers, little-endian
// IEEE floats, length-prefixed strings, counted maps of key and value, counted lists).
void append_field_value(std::string& out, const FieldValue& value);

// Decodes one value written by append_field_value. False on anything malformed, including
// nesting deeper than kMaxFieldDepth (a corrupt frame must not exhaust the stack;
// parsers keep what they build within it).
bool decode_field_value(ByteReader& in, FieldValue& out);

inline constexpr int kMaxFieldDepth = 256;

}  // namespace lc
