#include "inputs/json_file/json_file_line_parser.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "json_file_test_support.hpp"

namespace lc::json_file {
namespace {

constexpr TimestampNs kTime = 1'795'412'851'612'303'924;  // 2026-11-23T05:47:31.612303924Z

struct Parsed {
  LineError error;
  std::string log;
  LogStream stream;
  TimestampNs time;
};

Parsed parse(JsonFileLineParser& parser, std::string_view line) {
  JsonFileLine out;
  const LineError error = parser.parse(line, out);
  return {error, std::string(out.log), out.stream, out.time};
}

TEST(JsonFileLineParser, ParsesADockerLine) {
  JsonFileLineParser parser;
  const Parsed p = parse(
      parser, R"({"log":"text\n","stream":"stdout","time":"2026-11-23T05:47:31.612303924Z"})");
  EXPECT_EQ(p.error, LineError::kNone);
  EXPECT_EQ(p.log, "text\n");
  EXPECT_EQ(p.stream, LogStream::kStdout);
  EXPECT_EQ(p.time, kTime);
}

TEST(JsonFileLineParser, ParsesStderrFieldsInAnyOrderAndSkipsOthers) {
  JsonFileLineParser parser;
  const Parsed p =
      parse(parser, R"({"time":"2026-11-23T05:47:31.612303924Z","attrs":{"a":[1,{"b":"}"}]},)"
                    R"("stream":"stderr","log":"x"})");
  EXPECT_EQ(p.error, LineError::kNone);
  EXPECT_EQ(p.log, "x");
  EXPECT_EQ(p.stream, LogStream::kStderr);
  EXPECT_EQ(p.time, kTime);
}

TEST(JsonFileLineParser, UnescapesEscapesAndUnicode) {
  JsonFileLineParser parser;
  const Parsed p = parse(
      parser,
      R"({"log":"q\" b\\ s\/ \b\f\n\r\t \u0001\u001b[31m \u00e9 \u20ac \ud83d\ude00 \u003chtml\u003e","stream":"stdout","time":"2026-11-23T05:47:31Z"})");
  ASSERT_EQ(p.error, LineError::kNone);
  EXPECT_EQ(p.log,
            "q\" b\\ s/ \b\f\n\r\t \x01\x1b[31m \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 <html>");
  EXPECT_EQ(p.time, 1'795'412'851'000'000'000);
}

TEST(JsonFileLineParser, KeepsRawUtf8) {
  JsonFileLineParser parser;
  const std::string line = testing::entry("caf\xc3\xa9 \xf0\x9f\x98\x80\n", "stdout", kTime);
  const Parsed q = parse(parser, std::string_view(line).substr(0, line.size() - 1));
  EXPECT_EQ(q.error, LineError::kNone);
  EXPECT_EQ(q.log, "caf\xc3\xa9 \xf0\x9f\x98\x80\n");
}

TEST(JsonFileLineParser, EmptyLog) {
  JsonFileLineParser parser;
  EXPECT_EQ(parse(parser, R"({"log":"","stream":"stdout","time":"2026-11-23T05:47:31Z"})").log, "");
  const Parsed p = parse(parser, R"({"log":"\n","stream":"stdout","time":"2026-11-23T05:47:31Z"})");
  EXPECT_EQ(p.error, LineError::kNone);
  EXPECT_EQ(p.log, "\n");
}

TEST(JsonFileLineParser, RejectsInvalidUtf8) {
  JsonFileLineParser parser;
  EXPECT_EQ(parse(parser,
                  "{\"log\":\"bad \xff byte\",\"stream\":\"stdout\",\"time\":"
                  "\"2026-11-23T05:47:31Z\"}")
                .error,
            LineError::kInvalidUtf8);
  EXPECT_EQ(parse(parser,
                  "{\"log\":\"overlong \xc0\xaf\",\"stream\":\"stdout\",\"time\":"
                  "\"2026-11-23T05:47:31Z\"}")
                .error,
            LineError::kInvalidUtf8);
  // A lone escaped surrogate has no UTF-8 form.
  EXPECT_EQ(
      parse(parser, R"({"log":"\ud800 x","stream":"stdout","time":"2026-11-23T05:47:31Z"})").error,
      LineError::kInvalidUtf8);
}

TEST(JsonFileLineParser, RejectsInvalidJson) {
  JsonFileLineParser parser;
  for (const std::string_view line :
       {std::string_view(""), std::string_view("not json"), std::string_view("{"),
        std::string_view(R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z")"),
        std::string_view(R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z"} tail)"),
        std::string_view(R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z"}{})"),
        std::string_view(R"(["log","x"])"), std::string_view(R"("just a string")"),
        std::string_view(R"({"log":"unterminated,"stream":"stdout"})")}) {
    EXPECT_EQ(parse(parser, line).error, LineError::kInvalidJson) << line;
  }
}

TEST(JsonFileLineParser, RejectsMissingOrWrongFields) {
  JsonFileLineParser parser;
  EXPECT_EQ(parse(parser, R"({"stream":"stdout","time":"2026-11-23T05:47:31Z"})").error,
            LineError::kMissingLog);
  EXPECT_EQ(parse(parser, R"({"log":12,"stream":"stdout","time":"2026-11-23T05:47:31Z"})").error,
            LineError::kMissingLog);
  EXPECT_EQ(parse(parser, R"({"log":"x","time":"2026-11-23T05:47:31Z"})").error,
            LineError::kBadStream);
  EXPECT_EQ(parse(parser, R"({"log":"x","stream":"stdin","time":"2026-11-23T05:47:31Z"})").error,
            LineError::kBadStream);
  EXPECT_EQ(parse(parser, R"({"log":"x","stream":"stdout"})").error, LineError::kBadTime);
  EXPECT_EQ(parse(parser, R"({"log":"x","stream":"stdout","time":"yesterday"})").error,
            LineError::kBadTime);
  EXPECT_EQ(parse(parser, R"({"log":"x","stream":"stdout","time":1234})").error,
            LineError::kBadTime);
}

TEST(JsonFileLineParser, RefusesLinesOverItsCapAndRecoversAfterErrors) {
  JsonFileLineParser parser(100);
  const std::string long_line = testing::entry(std::string(200, 'x'), "stdout", kTime);
  EXPECT_EQ(parse(parser, long_line).error, LineError::kTooLong);
  EXPECT_EQ(parse(parser, "{{{").error, LineError::kInvalidJson);
  const std::string good = testing::entry("ok\n", "stderr", kTime);
  const Parsed p = parse(parser, std::string_view(good).substr(0, good.size() - 1));
  EXPECT_EQ(p.error, LineError::kNone);
  EXPECT_EQ(p.log, "ok\n");
  EXPECT_EQ(p.stream, LogStream::kStderr);
}

TEST(JsonFileLineParser, ReusesItsBuffersForGrowingLines) {
  JsonFileLineParser parser;
  for (const std::size_t size : {10u, 5000u, 100000u, 3u}) {
    const std::string text(size, 'a');
    const std::string line = testing::entry(text, "stdout", kTime);
    const Parsed p = parse(parser, std::string_view(line).substr(0, line.size() - 1));
    ASSERT_EQ(p.error, LineError::kNone) << size;
    EXPECT_EQ(p.log, text);
  }
}

TEST(JsonFileLineParser, ParsesEveryLineOfARealFile) {
  JsonFileLineParser parser;
  const std::string file = testing::read_all(testing::fixture("mixed-json.log"));
  ASSERT_FALSE(file.empty());
  std::size_t lines = 0;
  std::string_view rest = file;
  while (!rest.empty()) {
    const auto newline = rest.find('\n');
    ASSERT_NE(newline, std::string_view::npos);
    const Parsed p = parse(parser, rest.substr(0, newline));
    EXPECT_EQ(p.error, LineError::kNone) << rest.substr(0, std::min<std::size_t>(newline, 80));
    rest.remove_prefix(newline + 1);
    ++lines;
  }
  EXPECT_EQ(lines, 10u);
}

// In place (padded): what follows the line in memory (the next lines of the read buffer) must
// not change the result, whatever it is.
TEST(JsonFileLineParser, ParsesInPlaceWhateverFollowsTheLine) {
  JsonFileLineParser parser;
  const std::string good =
      R"({"log":"text\n","stream":"stdout","time":"2026-11-23T05:47:31.612303924Z"})";
  const std::string truncated = R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z")";
  const std::string unterminated = R"({"log":"unterminated,"stream":"stdout"})";
  for (const std::string& follower :
       {std::string(JsonFileLineParser::kPadding, ' '),
        std::string(JsonFileLineParser::kPadding, '}'),
        "\n" + good + "\n" + std::string(JsonFileLineParser::kPadding, '"'),
        std::string(JsonFileLineParser::kPadding, '\0')}) {
    const std::string buffer = good + follower;
    JsonFileLine out;
    ASSERT_EQ(parser.parse(std::string_view(buffer).substr(0, good.size()), out, /*padded=*/true),
              LineError::kNone);
    EXPECT_EQ(out.log, "text\n");
    EXPECT_EQ(out.time, kTime);
    for (const std::string& bad : {truncated, unterminated}) {
      const std::string with_follower = bad + follower;
      EXPECT_EQ(parser.parse(std::string_view(with_follower).substr(0, bad.size()), out, true),
                LineError::kInvalidJson)
          << bad;
    }
  }
}

// parse() reads dockerd's own shape by hand and leaves every other line to simdjson: on any
// line, it must give what simdjson alone gives.
TEST(JsonFileLineParser, TheDockerdShapeReadsAsSimdjsonReadsIt) {
  const std::string time = R"(","time":"2026-11-23T05:47:31.612303924Z"})";
  const std::string shaped = R"({"log":")";
  const std::vector<std::string> texts = {
      "",
      "text\\n",
      "x",
      "0123456789abcdef0123456789abcdef\\n",
      R"(q\" b\\ s\/ \b\f\n\r\t)",
      R"(\u0000\u0001\u001b[31m \u00e9 \u20ac \uFFFF \uabcd \u003chtml\u003e)",
      R"(\ud83d\ude00 pair)",
      R"(lone \ud800)",
      R"(lone low \udc00 x)",
      R"(bad hex \u12g4)",
      R"(short \u12)",
      R"(bad escape \x41)",
      "raw \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 utf-8 in the middle of a long-enough run",
      "\xc3\xa9",
      "invalid \xff byte",
      "overlong \xc0\xaf",
      "surrogate \xed\xa0\x80",
      "truncated \xe2\x82",
      "raw\ttab",
      "raw\x01 control",
      "\x7f del",
      "ends in a backslash \\",
  };
  std::vector<std::string> lines = {
      R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31.612303924Z"})",
      R"({"log":"x","stream":"stderr","time":"2026-11-23T05:47:31Z"})",
      R"({"log":"x","stream":"stdin","time":"2026-11-23T05:47:31Z"})",
      R"({"log":"x","stream":"stdout","time":"not a time"})",
      R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31\u002e5Z"})",
      R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z"} )",
      R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z"}})",
      R"({"log":"x","stream":"stdout","time":"})",
      R"({"log":"x","stream":"stdout","time":""})",
      R"({"log":"x","stream":"stdout"})",
      R"({"log":"x","stream":"stdout","attrs":{"a":"b"},"time":"2026-11-23T05:47:31Z"})",
      R"({"log":"x", "stream":"stdout","time":"2026-11-23T05:47:31Z"})",
      R"({"log":"x","stream":"stdout","time":"2026-11-23T05:47:31Z","log":"y"})",
      R"({"log":"unterminated)",
      R"({"log":")",
      R"({"log":"x","stream":"stdout)",
      "{\"log\":\"x\",\"stream\":\"stdout\",\"time\":\"2026-11-23T05:47:31\xff\"}",
  };
  for (const std::string& text : texts) {
    lines.push_back(shaped + text + R"(","stream":"stdout)" + time);
    lines.push_back(shaped + text + R"(","stream":"stderr)" + time);
  }
  JsonFileLineParser parser;
  JsonFileLineParser reference;
  for (const std::string& line : lines) {
    JsonFileLine fast;
    JsonFileLine full;
    const LineError fast_error = parser.parse(line, fast);
    const LineError full_error = reference.parse_in_full(line, full);
    ASSERT_EQ(fast_error, full_error) << line;
    if (full_error != LineError::kNone) continue;
    EXPECT_EQ(fast.log, full.log) << line;
    EXPECT_EQ(fast.stream, full.stream) << line;
    EXPECT_EQ(fast.time, full.time) << line;
  }
}

TEST(JsonFileLineParser, TheDockerdShapeUnescapesUnicodeOnStderr) {
  JsonFileLineParser parser;
  JsonFileLine first;
  ASSERT_EQ(
      parser.parse(
          R"({"log":"\u00e9t\u00e9\n","stream":"stderr","time":"2026-11-23T05:47:31.612303924Z"})",
          first),
      LineError::kNone);
  EXPECT_EQ(first.log, "\xc3\xa9t\xc3\xa9\n");
  EXPECT_EQ(first.stream, LogStream::kStderr);
  EXPECT_EQ(first.time, kTime);
}

}  // namespace
}  // namespace lc::json_file
