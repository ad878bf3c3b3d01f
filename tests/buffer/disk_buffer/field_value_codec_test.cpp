#include "buffer/disk_buffer/field_value_codec.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>

namespace lc {
namespace {

FieldValue round_trip(const FieldValue& value) {
  std::string bytes;
  append_field_value(bytes, value);
  ByteReader in(bytes);
  FieldValue decoded;
  EXPECT_TRUE(decode_field_value(in, decoded));
  EXPECT_TRUE(in.empty());
  return decoded;
}

bool decodes(std::string_view bytes) {
  ByteReader in(bytes);
  FieldValue ignored;
  return decode_field_value(in, ignored);
}

TEST(FieldValueCodec, RoundTripsEveryTypeExactly) {
  FieldValue value = FieldValue::Map{};
  value.set("null", nullptr);
  value.set("yes", true);
  value.set("no", false);
  value.set("min", std::numeric_limits<std::int64_t>::min());
  value.set("max", std::numeric_limits<std::int64_t>::max());
  value.set("float", -0.1);
  value.set("text", std::string("with \0 NUL and \xff", 17));
  value.set("list", FieldValue::List{1, "1", 1.5, FieldValue::List{}, FieldValue::Map{}});
  value.set("nested", FieldValue::Map{}).set("deeper", FieldValue::Map{}).set("x", "y");
  const FieldValue decoded = round_trip(value);
  EXPECT_EQ(decoded, value);
  EXPECT_EQ(decoded.find("min")->as_int(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(decoded.find("list")->as_list()[1].type(), FieldValue::Type::kString);  // "1" not 1
  EXPECT_EQ(decoded.as_map()[0].key, "null");  // insertion order kept
  EXPECT_TRUE(std::isinf(round_trip(FieldValue(HUGE_VAL)).as_float()));
}

TEST(FieldValueCodec, RefusesMalformedBytesAndRunawayNesting) {
  EXPECT_FALSE(decodes(""));
  EXPECT_FALSE(decodes("\x07"));          // no such type
  EXPECT_FALSE(decodes("\x01\x02"));      // a bool is 0 or 1
  EXPECT_FALSE(decodes("\x03\x01\x02"));  // a float needs 8 bytes
  EXPECT_FALSE(
      decodes("\x04\x05"
              "abc"));                // a string longer than what is left
  EXPECT_FALSE(decodes("\x05\x7f"));  // 127 entries in no bytes
  // Lists nested deeper than the limit: refused before the stack runs out.
  const std::string deep(static_cast<std::size_t>(kMaxFieldDepth) + 2, '\x06');
  std::string nested;
  for (char c : deep) nested += std::string{c, '\x01'};
  EXPECT_FALSE(decodes(nested + '\x00'));  // well formed, only too deep
  FieldValue at_limit;
  for (int depth = 0; depth < kMaxFieldDepth; ++depth) at_limit = FieldValue::List{at_limit};
  EXPECT_EQ(round_trip(at_limit), at_limit);  // what an encoder writes within it reads back
}

}  // namespace
}  // namespace lc
