#include "core/field_value.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace lc {
namespace {

TEST(FieldValue, HoldsEachTypeAndSaysWhich) {
  EXPECT_EQ(FieldValue().type(), FieldValue::Type::kNull);
  EXPECT_EQ(FieldValue(true).type(), FieldValue::Type::kBool);
  EXPECT_EQ(FieldValue(500).type(), FieldValue::Type::kInt);
  EXPECT_EQ(FieldValue(std::int64_t{1} << 40).as_int(), std::int64_t{1} << 40);
  EXPECT_EQ(FieldValue(0.25).type(), FieldValue::Type::kFloat);
  EXPECT_EQ(FieldValue("500").type(), FieldValue::Type::kString);
  EXPECT_EQ(FieldValue(FieldValue::Map{}).type(), FieldValue::Type::kMap);
  EXPECT_EQ(FieldValue(FieldValue::List{1, "a"}).type(), FieldValue::Type::kList);
}

TEST(FieldValue, EqualityIsTyped) {
  EXPECT_NE(FieldValue(500), FieldValue("500"));  // a number is not its text
  EXPECT_EQ(FieldValue(500), FieldValue(500.0));  // JSON does not tell 500 from 500.0
  EXPECT_NE(FieldValue(500), FieldValue(500.5));
  EXPECT_NE(FieldValue(true), FieldValue(1));
  EXPECT_NE(FieldValue(), FieldValue(""));
  EXPECT_EQ(FieldValue(FieldValue::List{1, "a"}), FieldValue(FieldValue::List{1, "a"}));
}

TEST(FieldValue, MapsKeepInsertionOrderAndSetReplacesInPlace) {
  FieldValue fields;
  fields.set("level", "info");
  fields.set("http", FieldValue::Map{}).set("status", 200);
  fields.set("level", "warn");  // in place: the order stays
  fields.find("http")->set("method", "GET");
  EXPECT_EQ(fields.text(), R"({"level":"warn","http":{"status":200,"method":"GET"}})");
  EXPECT_TRUE(fields.erase("level"));
  EXPECT_FALSE(fields.erase("level"));
  EXPECT_EQ(fields.find("level"), nullptr);
  EXPECT_EQ(fields.text(), R"({"http":{"status":200,"method":"GET"}})");
  EXPECT_EQ(FieldValue(3).find("x"), nullptr);  // not a map: nothing under it
}

TEST(FieldValue, TextAndJsonOfEveryType) {
  EXPECT_EQ(FieldValue().text(), "");
  EXPECT_EQ(FieldValue("plain \"text\"").text(), "plain \"text\"");  // a string as it is
  EXPECT_EQ(FieldValue(-42).text(), "-42");
  EXPECT_EQ(FieldValue(0.1).text(), "0.1");  // shortest exact form
  EXPECT_EQ(FieldValue(false).text(), "false");
  std::string json;
  FieldValue(FieldValue::List{nullptr, "a\"\n\x01", std::numeric_limits<double>::infinity()})
      .append_json(json);
  EXPECT_EQ(json, R"([null,"a\"\n\u0001",null])");
}

TEST(FieldValue, HeapBytesCountWhatTheValueHolds) {
  EXPECT_EQ(FieldValue(7).heap_bytes(), 0u);
  EXPECT_EQ(FieldValue(std::string(100, 'x')).heap_bytes(), 100u);
  FieldValue map;
  map.set("key", std::string(50, 'y'));
  EXPECT_GE(map.heap_bytes(), 53u + sizeof(FieldEntry));
}

}  // namespace
}  // namespace lc
