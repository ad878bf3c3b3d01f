#include "core/record_fields.hpp"

#include <gtest/gtest.h>

#include "core/log_record.hpp"

namespace lc {
namespace {

TEST(RecordFields, NoneCostsNothingAndReadsAsAbsent) {
  const LogRecord record;
  EXPECT_TRUE(record.fields.empty());
  EXPECT_EQ(record.fields.get(), nullptr);
  EXPECT_EQ(record.fields.memory_bytes(), 0u);
  EXPECT_EQ(sizeof(RecordFields), sizeof(void*) * 2);  // one shared pointer
}

TEST(RecordFields, CopiesShareTheMapUntilOneWrites) {
  LogRecord original;
  original.fields.edit().set("level", "info");
  LogRecord copy = original;                            // another sink's copy
  EXPECT_EQ(copy.fields.get(), original.fields.get());  // shared, not copied
  copy.fields.edit().set("level", "error");
  EXPECT_NE(copy.fields.get(), original.fields.get());
  EXPECT_EQ(original.fields.get()->find("level")->as_string(), "info");
  EXPECT_EQ(copy.fields.get()->find("level")->as_string(), "error");
  FieldValue* alone = &copy.fields.edit();  // no longer shared: written in place
  EXPECT_EQ(alone, copy.fields.get());
}

TEST(RecordFields, CountInTheRecordsMemoryAndCompareByValue) {
  LogRecord record;
  record.message = "x";
  const std::size_t bare = record.memory_bytes();
  record.fields.edit().set("k", std::string(100, 'v'));
  EXPECT_GE(record.memory_bytes(), bare + 101);
  const LogRecord copy = record;
  EXPECT_EQ(copy.memory_bytes(), record.memory_bytes());  // as the original, like the message
  EXPECT_EQ(RecordFields(FieldValue::Map{{"k", 500}}), RecordFields(FieldValue::Map{{"k", 500.0}}));
  EXPECT_FALSE(RecordFields(FieldValue::Map{{"k", 500}}) ==
               RecordFields(FieldValue::Map{{"k", "500"}}));
  EXPECT_EQ(RecordFields(FieldValue::Map{}), RecordFields());  // an empty map is no fields
  record.fields.clear();
  EXPECT_EQ(record.memory_bytes(), bare);
}

}  // namespace
}  // namespace lc
