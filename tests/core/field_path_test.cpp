#include "core/field_path.hpp"

#include <gtest/gtest.h>

namespace lc {
namespace {

FieldPath parsed(std::string_view text) {
  FieldPath path;
  const auto problem = parse_field_path(text, path);
  EXPECT_FALSE(problem) << text << ": " << problem.value_or("");
  return path;
}

std::string problem_of(std::string_view text) {
  FieldPath path;
  return parse_field_path(text, path).value_or("no problem");
}

TEST(FieldPath, RootsKeysQuotedKeysAndIndexes) {
  EXPECT_EQ(parsed(".message").root, FieldPath::Root::kMessage);
  EXPECT_TRUE(parsed(".message").writable());
  EXPECT_FALSE(parsed(".container_name").writable());  // metadata: read-only
  const FieldPath team = parsed(" .labels.\"com.example.team\" ");
  EXPECT_EQ(team.root, FieldPath::Root::kLabels);
  EXPECT_EQ(team.segments, (std::vector<FieldPath::Segment>{std::string("com.example.team")}));
  const FieldPath status = parsed(".fields.http.status");
  EXPECT_EQ(status.segments,
            (std::vector<FieldPath::Segment>{std::string("http"), std::string("status")}));
  EXPECT_TRUE(status.writable());
  EXPECT_EQ(parsed(".fields.\"key.with.dots\"").segments,
            (std::vector<FieldPath::Segment>{std::string("key.with.dots")}));
  EXPECT_EQ(
      parsed(".fields.items[2].name").segments,
      (std::vector<FieldPath::Segment>{std::string("items"), std::size_t{2}, std::string("name")}));
  EXPECT_TRUE(parsed(".fields").segments.empty());
  EXPECT_EQ(parsed(".fields.\"say \\\"hi\\\"\"").segments,
            (std::vector<FieldPath::Segment>{std::string("say \"hi\"")}));
}

TEST(FieldPath, TextWritesThePathBackQuotingWhereNeeded) {
  for (const char* text : {".message", ".labels.app", ".labels.\"com.example.team\"",
                           ".fields.http.status", ".fields.items[0].name", ".fields.\"a\\\"b\""}) {
    EXPECT_EQ(parsed(text).text(), text);
  }
}

TEST(FieldPath, MistakesSayWhat) {
  EXPECT_EQ(problem_of("message"),
            "a path starts with '.' and a root: .message, .fields.<key>, .labels.<key>, ...");
  EXPECT_EQ(problem_of(".msg").substr(0, 18), "unknown root .msg ");
  EXPECT_EQ(problem_of(".labels.a.b"),
            ".labels takes one key (quote a key with dots: .labels.\"com.example.team\")");
  EXPECT_EQ(problem_of(".message.x"), ".message has no keys below it");
  EXPECT_EQ(problem_of(".fields."), "expected a key after '.' (quote keys with other characters)");
  EXPECT_EQ(problem_of(".fields.\"open"), "a quoted key is not closed");
  EXPECT_EQ(problem_of(".fields.a[x]"), "expected a list index like [0]");
  EXPECT_EQ(problem_of(".fields.a b"), "unexpected ' ' at position 10");
}

}  // namespace
}  // namespace lc
