#include "core/json_string_writer.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace lc {
namespace {

std::string encode(std::string_view text, bool* valid = nullptr) {
  std::string out;
  const bool ok = append_json_string(out, text);
  if (valid != nullptr) *valid = ok;
  return out;
}

bool is_valid_utf8_text(const std::string& text) {
  std::string out;
  return append_json_string(out, text);
}

TEST(JsonStringWriter, PlainTextIsQuotedUnchanged) {
  bool valid = false;
  EXPECT_EQ(encode("hello world", &valid), "\"hello world\"");
  EXPECT_TRUE(valid);
  EXPECT_EQ(encode(""), "\"\"");
}

TEST(JsonStringWriter, EscapesQuoteBackslashAndControlCharacters) {
  EXPECT_EQ(encode("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(encode("\n\t\r\b\f"), R"("\n\t\r\b\f")");
  EXPECT_EQ(encode(std::string_view("\x00\x01\x1f\x7f", 4)), "\"\\u0000\\u0001\\u001f\x7f\"");
  EXPECT_EQ(encode("/"), "\"/\"");  // needs no escape
}

TEST(JsonStringWriter, KeepsValidMultibyteUtf8) {
  bool valid = false;
  const std::string text = "caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80";  // café € 😀
  EXPECT_EQ(encode(text, &valid), "\"" + text + "\"");
  EXPECT_TRUE(valid);
}

TEST(JsonStringWriter, ReplacesEachMaximalInvalidSubpartWithReplacementCharacter) {
  const std::string fffd = "\xEF\xBF\xBD";
  bool valid = true;
  // Stray continuation byte, then a lead byte cut short by ASCII.
  EXPECT_EQ(encode("a\x80z", &valid), "\"a" + fffd + "z\"");
  EXPECT_FALSE(valid);
  // A truncated 3-byte sequence is one maximal subpart: one U+FFFD.
  EXPECT_EQ(encode("\xE2\x82z"), "\"" + fffd + "z\"");
  // Overlong encoding of '/', surrogate, above U+10FFFF: each byte a subpart.
  EXPECT_EQ(encode("\xC0\xAF"), "\"" + fffd + fffd + "\"");
  EXPECT_EQ(encode("\xED\xA0\x80"), "\"" + fffd + fffd + fffd + "\"");
  EXPECT_EQ(encode("\xF4\x90\x80\x80"), "\"" + fffd + fffd + fffd + fffd + "\"");
  // Truncated at the very end.
  EXPECT_EQ(encode("ok\xF0\x9F\x98"), "\"ok" + fffd + "\"");
  // Escapes still apply in the slow path; valid multibyte sequences are kept.
  EXPECT_EQ(encode("\xFF\"\n\xC3\xA9"), "\"" + fffd + "\\\"\\n\xC3\xA9\"");
}

TEST(JsonStringWriter, OutputAlwaysParsesAsJson) {
  std::string all_bytes;
  for (int c = 0; c < 256; ++c) all_bytes += static_cast<char>(c);
  const auto parsed = nlohmann::json::parse(encode(all_bytes));
  ASSERT_TRUE(parsed.is_string());
  const std::string value = parsed.get<std::string>();
  EXPECT_EQ(value.substr(0, 128), all_bytes.substr(0, 128));  // ASCII round-trips exactly
}

// The scan skips 8 bytes at a time: every byte that needs an escape is found at every position
// of a word and in the short tail, next to multibyte and high bytes that must not match.
TEST(JsonStringWriter, FindsEveryEscapeAtEveryPositionOfLongText) {
  const std::string filler =
      "abc\xc3\xa9"
      "d\xe2\x82\xac";  // ASCII, e-acute, euro sign
  for (const char special : {'"', '\\', '\n', '\x01', '\x1f'}) {
    for (std::size_t length = 1; length <= 40; ++length) {
      for (std::size_t at = 0; at < length; ++at) {
        std::string text;
        while (text.size() < length) text += filler;
        text.resize(length);
        text[at] = special;
        if (!is_valid_utf8_text(text)) continue;  // the cut split a character: another test's case
        const auto parsed = nlohmann::json::parse(encode(text));
        ASSERT_EQ(parsed.get<std::string>(), text) << "length " << length << " at " << at;
      }
    }
  }
}

TEST(JsonStringWriter, TextVouchedForAsValidUtf8IsNotCheckedAgain) {
  std::string out;
  EXPECT_TRUE(append_json_string(out, "caf\xc3\xa9 \"ok\"", /*known_valid_utf8=*/true));
  EXPECT_EQ(out, "\"caf\xc3\xa9 \\\"ok\\\"\"");
}

}  // namespace
}  // namespace lc
