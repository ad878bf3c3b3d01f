// Records as RFC 5424 messages: priority, timestamp, header fields, structured data and MSG.
#include "sinks/syslog/syslog_message_encoder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>

#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/loki/loki_test_records.hpp"

namespace lc {
namespace {

using testing::kLokiTestBaseTime;
using testing::make_loki_test_container;
using testing::make_loki_test_record;
using ::testing::StartsWith;

// kLokiTestBaseTime (1'700'000'000.123456789 s) in UTC, to the microsecond.
constexpr std::string_view kTimestamp = "2023-11-14T22:13:20.123456Z";
// make_loki_test_container("web")'s id.
const std::string kWebId = std::string(61, 'c') + "web";
const std::string kWebData = "[log-capturer@32473 container_id=\"" + kWebId +
                             "\" container_name=\"web\" image=\"registry.local/web:1.0\" "
                             "stream=\"stdout\"]";

std::string encode(const SyslogSinkOptions& options, const LogRecord& record, bool* cut = nullptr) {
  SyslogMessageEncoder encoder(options, "host");
  std::string out;
  const bool was_cut = encoder.append(record, out);
  if (cut != nullptr) *cut = was_cut;
  return out;
}

LogRecord web_record(std::string message, LogStream stream = LogStream::kStdout) {
  return make_loki_test_record(make_loki_test_container("web"), kLokiTestBaseTime,
                               std::move(message), stream);
}

LogRecord with_fields(LogRecord record, FieldValue::Map fields) {
  record.fields = RecordFields(std::move(fields));
  return record;
}

// Whether `text` is well-formed UTF-8 (2- and 3-byte sequences are enough here).
bool whole_utf8(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80             ? 1
                               : (lead & 0xE0) == 0xC0 ? 2
                               : (lead & 0xF0) == 0xE0 ? 3
                                                       : 0;
    if (length == 0 || i + length > text.size()) return false;
    for (std::size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) return false;
    }
    i += length;
  }
  return true;
}

TEST(SyslogMessageEncoderTest, AContainerRecordIsOneRfc5424Message) {
  bool cut = true;
  EXPECT_EQ(encode({}, web_record("hello"), &cut),
            "<14>1 " + std::string(kTimestamp) + " host web - - " + kWebData + " hello");
  EXPECT_FALSE(cut);
}

TEST(SyslogMessageEncoderTest, MessagesAreAppendedToWhatTheBufferHolds) {
  SyslogMessageEncoder encoder({}, "host");
  std::string out = "kept";
  EXPECT_FALSE(encoder.append(web_record("one"), out));
  EXPECT_FALSE(encoder.append(web_record("two"), out));
  const std::string head = "<14>1 " + std::string(kTimestamp) + " host web - - " + kWebData;
  EXPECT_EQ(out, "kept" + head + " one" + head + " two");
}

TEST(SyslogMessageEncoderTest, StderrRecordsGetTheStderrSeverity) {
  const std::string stderr_data = "[log-capturer@32473 container_id=\"" + kWebId +
                                  "\" container_name=\"web\" image=\"registry.local/web:1.0\" "
                                  "stream=\"stderr\"]";
  EXPECT_EQ(encode({}, web_record("oops", LogStream::kStderr)),
            "<11>1 " + std::string(kTimestamp) + " host web - - " + stderr_data + " oops");
  SyslogSinkOptions options;
  options.stderr_severity = "warning";
  EXPECT_EQ(encode(options, web_record("oops", LogStream::kStderr)).substr(0, 6), "<12>1 ");
}

TEST(SyslogMessageEncoderTest, FacilityAndSeverityMakeThePriority) {
  SyslogSinkOptions options;
  options.facility = "LOCAL3";
  options.severity = "notice";
  EXPECT_EQ(encode(options, web_record("x")).substr(0, 7), "<157>1 ");  // 19 * 8 + 5
  options.facility = "kern";
  options.severity = "emerg";
  EXPECT_EQ(encode(options, web_record("x")).substr(0, 5), "<0>1 ");
  options.facility = "23";
  options.severity = "7";
  EXPECT_EQ(encode(options, web_record("x")).substr(0, 7), "<191>1 ");
}

TEST(SyslogMessageEncoderTest, ALevelFieldOverridesTheStreamsSeverity) {
  const SyslogSinkOptions defaults;
  EXPECT_EQ(encode(defaults, with_fields(web_record("x"), {{"level", "warn"}})).substr(0, 6),
            "<12>1 ");
  EXPECT_EQ(encode(defaults, with_fields(web_record("x", LogStream::kStderr), {{"level", "debug"}}))
                .substr(0, 6),
            "<15>1 ");
  EXPECT_EQ(encode(defaults, with_fields(web_record("x"), {{"level", 50}})).substr(0, 6), "<11>1 ");
  EXPECT_EQ(encode(defaults, with_fields(web_record("x"), {{"level", "fatal"}})).substr(0, 6),
            "<10>1 ");
  // Not a level: the stream's severity.
  EXPECT_EQ(encode(defaults, with_fields(web_record("x"), {{"level", "hello"}})).substr(0, 6),
            "<14>1 ");
  EXPECT_EQ(encode(defaults, with_fields(web_record("x", LogStream::kStderr), {{"level", true}}))
                .substr(0, 6),
            "<11>1 ");
  EXPECT_EQ(encode(defaults, with_fields(web_record("x"), {{"lvl", "error"}})).substr(0, 6),
            "<14>1 ");

  SyslogSinkOptions nested;
  nested.severity_field = "log.level";
  const LogRecord record = with_fields(
      web_record("x"), {{"log", FieldValue::Map{{"level", "crit"}}}, {"level", "debug"}});
  EXPECT_EQ(encode(nested, record).substr(0, 6), "<10>1 ");
  SyslogSinkOptions none;
  none.severity_field = "";
  EXPECT_EQ(encode(none, with_fields(web_record("x"), {{"level", "error"}})).substr(0, 6),
            "<14>1 ");
}

TEST(SyslogMessageEncoderTest, TheEventTimeIsUsedWhenSet) {
  LogRecord record = web_record("hello");
  record.event_time = kLokiTestBaseTime - 86'400'000'000'000 + 999;  // a day before, +999 ns
  EXPECT_EQ(encode({}, record),
            "<14>1 2023-11-13T22:13:20.123457Z host web - - " + kWebData + " hello");
  record.event_time = 0;
  record.time = 1'000'000'000;
  EXPECT_EQ(encode({}, record),
            "<14>1 1970-01-01T00:00:01.000000Z host web - - " + kWebData + " hello");
}

TEST(SyslogMessageEncoderTest, HeaderFieldsComeFromTemplatesAndEmptyOnesAreADash) {
  SyslogSinkOptions options;
  options.hostname = "{{ .compose_project }}";
  options.app_name = "";
  options.procid = "{{ .container_id }}";
  options.msgid = "{{ .stream }}";
  EXPECT_EQ(encode(options, web_record("hello")), "<14>1 " + std::string(kTimestamp) + " - - " +
                                                      kWebId + " stdout " + kWebData + " hello");
  options.hostname = "fixed";
  options.app_name = "app-{{ .fields.service }}";
  options.procid = "{{ .fields.pid }}";
  options.msgid = "";
  EXPECT_EQ(encode(options, with_fields(web_record("hello"), {{"service", "api"}, {"pid", 42}})),
            "<14>1 " + std::string(kTimestamp) + " fixed app-api 42 - " + kWebData + " hello");
}

TEST(SyslogMessageEncoderTest, HeaderFieldsAreCutToTheirLengthAndPrintableAscii) {
  const std::string long_name(60, 'n');
  LogRecord record =
      make_loki_test_record(make_loki_test_container(long_name), kLokiTestBaseTime, "hello");
  const std::string message = encode({}, record);
  EXPECT_EQ(message.find(" host " + long_name.substr(0, 48) + " - - ["), 33u) << message;

  SyslogSinkOptions options;
  options.msgid = "{{ .fields.id }}";
  record = with_fields(web_record("hello"), {{"id", std::string(40, 'm')}});
  EXPECT_NE(encode(options, record).find(" web - " + std::string(32, 'm') + " ["),
            std::string::npos);

  SyslogMessageEncoder encoder({}, "my host\n");
  std::string out;
  encoder.append(make_loki_test_record(make_loki_test_container("w\xc3\xa9"
                                                                "b"),
                                       kLokiTestBaseTime, "hello"),
                 out);
  EXPECT_THAT(out, StartsWith("<14>1 " + std::string(kTimestamp) + " my_host_ w__b - - ["));
}

TEST(SyslogMessageEncoderTest, ParamValuesEscapeQuotesBackslashesAndBrackets) {
  auto container = std::make_shared<ContainerMetadata>();
  container->id = "abc";
  container->name = "a\"b\\c]d";
  container->image = "img[1]";
  LogRecord record = make_loki_test_record(container, kLokiTestBaseTime, "x");
  EXPECT_EQ(encode({}, record),
            "<14>1 " + std::string(kTimestamp) +
                " host a\"b\\c]d - - [log-capturer@32473 container_id=\"abc\" "
                "container_name=\"a\\\"b\\\\c\\]d\" image=\"img[1\\]\" stream=\"stdout\"] x");
}

TEST(SyslogMessageEncoderTest, EmptyParamsAreLeftOutAndComposeOnesAppearWhenSet) {
  const LogRecord compose = make_loki_test_record(make_loki_test_container("web", "shop", "api"),
                                                  kLokiTestBaseTime, "hello");
  EXPECT_EQ(encode({}, compose),
            "<14>1 " + std::string(kTimestamp) +
                " host web - - [log-capturer@32473 container_id=\"" + kWebId +
                "\" container_name=\"web\" image=\"registry.local/web:1.0\" "
                "compose_project=\"shop\" compose_service=\"api\" stream=\"stdout\"] hello");
  const LogRecord project_only =
      make_loki_test_record(make_loki_test_container("web", "shop"), kLokiTestBaseTime, "hello");
  const std::string message = encode({}, project_only);
  EXPECT_NE(message.find(" compose_project=\"shop\" stream="), std::string::npos) << message;
  EXPECT_EQ(message.find("compose_service"), std::string::npos) << message;

  auto bare = std::make_shared<ContainerMetadata>();
  bare->id = "abc";
  EXPECT_EQ(encode({}, make_loki_test_record(bare, kLokiTestBaseTime, "x")),
            "<14>1 " + std::string(kTimestamp) +
                " host - - - [log-capturer@32473 container_id=\"abc\" stream=\"stdout\"] x");
}

TEST(SyslogMessageEncoderTest, AFileRecordCarriesItsPath) {
  LogRecord record;
  record.time = kLokiTestBaseTime;
  record.file_source =
      std::make_shared<FileSource>(FileSource{"/var/log/app \"1\".log", {}, "files"});
  record.message = "from a file";
  SyslogSinkOptions options;
  options.app_name = "{{ .input }}";
  EXPECT_EQ(encode(options, record),
            "<14>1 " + std::string(kTimestamp) +
                " host files - - [log-capturer@32473 file=\"/var/log/app \\\"1\\\".log\"] from a "
                "file");
  // The default APP-NAME, the container's name, is empty for a file.
  EXPECT_THAT(encode({}, record), StartsWith("<14>1 " + std::string(kTimestamp) + " host - - - ["));
}

TEST(SyslogMessageEncoderTest, NoStructuredDataWithoutAnIdOrASource) {
  SyslogSinkOptions options;
  options.structured_data_id = "";
  EXPECT_EQ(encode(options, web_record("hello")),
            "<14>1 " + std::string(kTimestamp) + " host web - - - hello");
  options.structured_data_id = "meta@1";
  EXPECT_EQ(encode(options, web_record("hello")),
            "<14>1 " + std::string(kTimestamp) + " host web - - [meta@1 container_id=\"" + kWebId +
                "\" container_name=\"web\" image=\"registry.local/web:1.0\" stream=\"stdout\"] "
                "hello");
  LogRecord sourceless;
  sourceless.time = kLokiTestBaseTime;
  sourceless.message = "hello";
  EXPECT_EQ(encode({}, sourceless), "<14>1 " + std::string(kTimestamp) + " host - - - - hello");
}

TEST(SyslogMessageEncoderTest, JsonMessagesAreTheFileStoresLine) {
  SyslogSinkOptions options;
  options.message_format = SyslogSinkOptions::MessageFormat::kJson;
  const LogRecord record = with_fields(web_record("hello"), {{"level", "warn"}});
  std::string line;
  NdjsonRecordEncoder().append(line, record);
  ASSERT_EQ(line.back(), '\n');
  line.pop_back();
  EXPECT_EQ(encode(options, record),
            "<12>1 " + std::string(kTimestamp) + " host web - - " + kWebData + " " + line);
  EXPECT_THAT(line,
              StartsWith("{\"time\":\"2023-11-14T22:13:20.123456789Z\",\"stream\":\"stdout\","));
  EXPECT_NE(line.find("\"message\":\"hello\",\"fields\":{\"level\":\"warn\"}}"), std::string::npos)
      << line;
}

TEST(SyslogMessageEncoderTest, InvalidUtf8IsRepaired) {
  LogRecord record = web_record(
      "a\xff"
      "b");
  EXPECT_EQ(encode({}, record), "<14>1 " + std::string(kTimestamp) + " host web - - " + kWebData +
                                    " a\xef\xbf\xbd"
                                    "b");
  record.valid_utf8 = true;  // trusted as it is
  record.message = "ok \xc3\xa9";
  EXPECT_EQ(encode({}, record),
            "<14>1 " + std::string(kTimestamp) + " host web - - " + kWebData + " ok \xc3\xa9");
}

TEST(SyslogMessageEncoderTest, MaxMessageBytesCutsTheMessageNeverTheHeader) {
  const std::string whole = encode({}, web_record("hello"));
  SyslogSinkOptions options;
  bool cut = false;
  options.max_message_bytes = static_cast<std::uint32_t>(whole.size());
  EXPECT_EQ(encode(options, web_record("hello"), &cut), whole);
  EXPECT_FALSE(cut);
  options.max_message_bytes = static_cast<std::uint32_t>(whole.size() - 1);
  EXPECT_EQ(encode(options, web_record("hello"), &cut), whole.substr(0, whole.size() - 1));
  EXPECT_TRUE(cut);
  // The header counts too, but only MSG is cut: a header cut short would not parse.
  const std::string header = whole.substr(0, whole.size() - 5);
  options.max_message_bytes = static_cast<std::uint32_t>(header.size() - 10);
  EXPECT_EQ(encode(options, web_record("hello"), &cut), header);
  EXPECT_TRUE(cut);
  // Appended after other messages, only this one counts.
  options.max_message_bytes = static_cast<std::uint32_t>(whole.size() - 2);
  SyslogMessageEncoder encoder(options, "host");
  std::string out(100, 'x');
  EXPECT_TRUE(encoder.append(web_record("hello"), out));
  EXPECT_EQ(out, std::string(100, 'x') + whole.substr(0, whole.size() - 2));
}

TEST(SyslogMessageEncoderTest, MaxMessageBytesNeverCutsInsideAUtf8Sequence) {
  const std::string head = encode({}, web_record(""));
  std::string message;
  for (int i = 0; i < 10; ++i) message += "\xc3\xa9";  // é
  const std::string whole = head + message;
  ASSERT_EQ(encode({}, web_record(message)), whole);
  for (std::size_t max = head.size(); max < whole.size(); ++max) {
    SyslogSinkOptions options;
    options.max_message_bytes = static_cast<std::uint32_t>(max);
    bool cut = false;
    const std::string out = encode(options, web_record(message), &cut);
    EXPECT_TRUE(cut) << max;
    EXPECT_EQ(out, whole.substr(0, head.size() + (max - head.size()) / 2 * 2)) << max;
    EXPECT_TRUE(whole_utf8(out)) << max;
  }
  // Invalid bytes repaired to U+FFFD (3 bytes) are not cut inside either.
  SyslogSinkOptions options;
  options.max_message_bytes = static_cast<std::uint32_t>(head.size() + 2);
  bool cut = false;
  EXPECT_EQ(encode(options, web_record("\xff\xff"), &cut), head);
  EXPECT_TRUE(cut);
}

}  // namespace
}  // namespace lc
