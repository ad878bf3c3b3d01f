#include "processors/parse_regex/access_log_reader.hpp"

#include <gtest/gtest.h>

#include "processors/parse_regex/regex_fields.hpp"
#include "processors/parse_regex/regex_presets.hpp"

namespace lc {
namespace {

// A preset's fields of `line` ("no match" or the fields as JSON), read by hand or, with the
// pattern made unrecognisable by an empty group, by RE2.
std::string fields_of(std::string_view preset_name, std::string_view line, bool by_re2) {
  const RegexPreset* preset = find_regex_preset(preset_name);
  const RegexFields fields(UserRegex::compile_checked(preset->pattern + (by_re2 ? "(?:)" : "")),
                           preset_capture_types(*preset));
  FieldValue out;
  if (auto problem = fields.parse(line, out)) return *problem;
  std::string json;
  out.append_json(json);
  return json;
}

TEST(AccessLogReader, RecognisesOnlyThePresetPatterns) {
  EXPECT_EQ(AccessLogReader::format_of(find_regex_preset("common")->pattern),
            AccessLogReader::Format::kCommon);
  EXPECT_EQ(AccessLogReader::format_of(find_regex_preset("combined")->pattern),
            AccessLogReader::Format::kCombined);
  EXPECT_EQ(AccessLogReader::format_of(find_regex_preset("combined")->pattern + "(?:)"),
            std::nullopt);
  AccessLogReader::Captures captures;
  ASSERT_TRUE(AccessLogReader::read(AccessLogReader::Format::kCombined,
                                    R"(h - - [t] "bad request" 400 - "r" "a")", captures));
  EXPECT_EQ(captures[AccessLogReader::kRequest], "bad request");
  EXPECT_EQ(captures[AccessLogReader::kMethod], std::nullopt);
  EXPECT_EQ(captures[AccessLogReader::kSize], std::nullopt);
  EXPECT_EQ(captures[AccessLogReader::kAgent], "a");
}

TEST(AccessLogReader, ReadsWhatRe2ReadsLineForLine) {
  const std::vector<std::string> lines = {
      R"l(10.0.0.7 - alice [05/Dec/2026:10:00:01 +0000] "GET /api?id=1 HTTP/1.1" 200 1532 "https://example.com/" "Mozilla/5.0 (X11)")l",
      R"l(10.0.0.7 - - [05/Dec/2026:10:00:01 +0000] "GET / HTTP/1.1" 304 - "-" "curl/8.0")l",
      R"l(::1 - - [05/Dec/2026:10:00:01 +0000] "GET /" 200 5 "-" "-" trailing words)l",
      R"l(h - - [t] "GET  HTTP/1.1" 200 5 "r" "a")l",   // empty path
      R"l(h - - [t] "GET / " 200 5 "r" "a")l",          // empty protocol
      R"l(h - - [t] "get / HTTP/1.1" 200 5 "r" "a")l",  // not a method: request
      R"l(h - - [t] "\x16\x03\x01" 400 0 "-" "-")l",    // TLS on the HTTP port
      R"l(h - - [t] "" 400 0 "-" "-")l",                // empty request
      R"l(h - - [t] "GET" 400 0 "-" "-")l",
      R"l(h - - [] "GET / HTTP/1.1" 200 5)l",            // common only
      R"l(h - - [t] "GET / HTTP/1.1" 2000 5 "r" "a")l",  // four-digit status
      R"l(h - - [t] "GET / HTTP/1.1" 200 x "r" "a")l",
      R"l(h - - [t] "GET / HTTP/1.1" 200 12x "r" "a")l",
      R"l(h - - [t] "GET / HTTP/1.1" 200 - "r")l",
      R"l(h  - - [t] "GET / HTTP/1.1" 200 5 "r" "a")l",  // two spaces
      "h\t- - [t] \"GET / HTTP/1.1\" 200 5 \"r\" \"a\"",
      "h - - [multi\nline] \"GET /\npath HTTP/1.1\" 200 5 \"r\" \"a\"",
      R"l(h - - [t] "GET /ünïcödé HTTP/1.1" 200 5 "ré" "ägent")l",
      R"l(h - - [t "GET / HTTP/1.1" 200 5 "r" "a")l",
      R"l(h - - [t] "GET / HTTP/1.1 200 5 "r" "a")l",
      R"l(h - - [t] "GET / HTTP/1.1" 200 5 "r" "a)l",
      "",
      "h - - [t] \"GET / HTTP/1.1\" 200 5 \"\xff\" \"a\"",  // invalid UTF-8: left to RE2
  };
  for (const std::string& line : lines) {
    for (const char* preset : {"common", "combined"}) {
      EXPECT_EQ(fields_of(preset, line, false), fields_of(preset, line, true))
          << preset << ": " << line;
    }
  }
  EXPECT_EQ(fields_of("combined", lines[1], false),
            R"({"client":"10.0.0.7","ident":"-","user":"-","time":"05/Dec/2026:10:00:01 +0000",)"
            R"("method":"GET","path":"/","protocol":"HTTP/1.1","status":304,"referer":"-",)"
            R"("agent":"curl/8.0"})");
}

}  // namespace
}  // namespace lc
