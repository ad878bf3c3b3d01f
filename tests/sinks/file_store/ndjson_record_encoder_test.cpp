#include "sinks/file_store/ndjson_record_encoder.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "core/timestamp.hpp"

namespace lc {
namespace {

constexpr TimestampNs kTime = 1'700'000'000'123'456'789;  // 2023-11-14T22:13:20.123456789Z

ContainerMetadataPtr make_labelled_container(std::map<std::string, std::string> labels = {},
                                             std::string project = {}, std::string service = {}) {
  auto meta = std::make_shared<ContainerMetadata>();
  meta->id = std::string(64, 'a');
  meta->name = "web-1";
  meta->image = "nginx:1.25";
  meta->labels = std::move(labels);
  meta->compose_project = std::move(project);
  meta->compose_service = std::move(service);
  return meta;
}

LogRecord make_record(ContainerMetadataPtr container, std::string message) {
  LogRecord record;
  record.time = kTime;
  record.stream = LogStream::kStdout;
  record.container = std::move(container);
  record.message = std::move(message);
  return record;
}

std::string encode(const LogRecord& record) {
  NdjsonRecordEncoder encoder;
  std::string out;
  encoder.append(out, record);
  return out;
}

std::vector<std::string> keys_of(const nlohmann::ordered_json& object) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

TEST(NdjsonRecordEncoder, PlainRecordIsOneLineWithFieldsInOrder) {
  const std::string line = encode(make_record(make_labelled_container(), "hello"));
  EXPECT_EQ(
      line,
      "{\"time\":\"2023-11-14T22:13:20.123456789Z\",\"stream\":\"stdout\",\"container_id\":\"" +
          std::string(64, 'a') +
          "\",\"container_name\":\"web-1\",\"image\":\"nginx:1.25\",\"labels\":{},"
          "\"message\":\"hello\"}\n");
  const auto parsed = nlohmann::ordered_json::parse(line);
  EXPECT_EQ(keys_of(parsed),
            (std::vector<std::string>{"time", "stream", "container_id", "container_name", "image",
                                      "labels", "message"}));
}

TEST(NdjsonRecordEncoder, AnEventTimeFollowsTheSourceTime) {
  LogRecord record = make_record(make_labelled_container(), "hello");
  record.event_time = 1'796'589'614'500'000'000;
  const auto parsed = nlohmann::ordered_json::parse(encode(record));
  EXPECT_EQ(parsed["time"], "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(parsed["event_time"], "2026-12-06T20:40:14.500000000Z");
  EXPECT_EQ(keys_of(parsed)[1], "event_time");
}

TEST(NdjsonRecordEncoder, EscapedAndControlCharactersRoundTrip) {
  const std::string message = "say \"hi\"\\ \ttab\x01\x1b[31mred\r";
  const std::string line = encode(make_record(make_labelled_container(), message));
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);  // the newline ends the record only
  const auto parsed = nlohmann::json::parse(line);
  EXPECT_EQ(parsed["message"], message);
  EXPECT_FALSE(parsed.contains("invalid_utf8"));
  EXPECT_FALSE(parsed.contains("truncated"));
}

TEST(NdjsonRecordEncoder, InvalidUtf8IsReplacedAndFlagged) {
  const std::string line = encode(make_record(make_labelled_container(), "bad \xFF\xFE end"));
  const auto parsed = nlohmann::json::parse(line);  // throws if the output were not UTF-8
  EXPECT_EQ(parsed["message"], "bad \xEF\xBF\xBD\xEF\xBF\xBD end");
  EXPECT_EQ(parsed["invalid_utf8"], true);
}

TEST(NdjsonRecordEncoder, InvalidUtf8InMetadataIsFlaggedToo) {
  auto meta = std::make_shared<ContainerMetadata>(*make_labelled_container());
  meta->labels["k"] = "v\xC3";
  const auto parsed = nlohmann::json::parse(encode(make_record(meta, "fine")));
  EXPECT_EQ(parsed["labels"]["k"], "v\xEF\xBF\xBD");
  EXPECT_EQ(parsed["invalid_utf8"], true);
}

TEST(NdjsonRecordEncoder, StructuredFieldsFollowTheMessageTypedAndInOrder) {
  LogRecord record = make_record(make_labelled_container(), "GET /");
  FieldValue& fields = record.fields.edit();
  fields.set("status", 500);
  fields.set("level", "error");
  fields.set("ok", false);
  fields.set("took", 0.25);
  fields.set("tags", FieldValue::List{"a", nullptr});
  fields.set("bad", "x\xC3");
  const std::string line = encode(record);
  const auto parsed = nlohmann::ordered_json::parse(line);
  EXPECT_EQ(keys_of(parsed).back(), "invalid_utf8");  // a field's repaired string is flagged
  EXPECT_EQ(parsed["fields"]["status"], 500);         // a number, not "500"
  EXPECT_EQ(keys_of(parsed["fields"]),
            (std::vector<std::string>{"status", "level", "ok", "took", "tags", "bad"}));
  EXPECT_EQ(parsed["fields"]["bad"], "x\xEF\xBF\xBD");
  EXPECT_EQ(line.find("\"message\":\"GET /\",\"fields\":{\"status\":500,"),
            line.find("\"message\""));
  record.fields.clear();
  EXPECT_FALSE(nlohmann::json::parse(encode(record)).contains("fields"));  // none: no key
}

TEST(NdjsonRecordEncoder, LabelsComposeStderrAndTruncated) {
  auto record = make_record(
      make_labelled_container({{"com.docker.compose.project", "shop"}, {"tier", "front\"end"}},
                              "shop", "web"),
      "cut");
  record.stream = LogStream::kStderr;
  record.truncated = true;
  const auto parsed = nlohmann::ordered_json::parse(encode(record));
  EXPECT_EQ(keys_of(parsed),
            (std::vector<std::string>{"time", "stream", "container_id", "container_name", "image",
                                      "labels", "compose_project", "compose_service", "message",
                                      "truncated"}));
  EXPECT_EQ(parsed["stream"], "stderr");
  EXPECT_EQ(parsed["labels"].size(), 2u);
  EXPECT_EQ(parsed["labels"]["com.docker.compose.project"], "shop");
  EXPECT_EQ(parsed["labels"]["tier"], "front\"end");
  EXPECT_EQ(parsed["compose_project"], "shop");
  EXPECT_EQ(parsed["compose_service"], "web");
  EXPECT_EQ(parsed["truncated"], true);
  EXPECT_EQ(parse_rfc3339(parsed["time"].get<std::string>()), kTime);
}

TEST(NdjsonRecordEncoder, AnUnparsedJsonFileLineIsFlagged) {
  auto record = make_record(make_labelled_container({}), R"({"log":"cut sho)");
  record.invalid = true;
  const auto parsed = nlohmann::ordered_json::parse(encode(record));
  EXPECT_EQ(parsed["unparsed"], true);
  EXPECT_EQ(parsed["message"], R"({"log":"cut sho)");
  EXPECT_FALSE(nlohmann::ordered_json::parse(encode(make_record(make_labelled_container({}), "ok")))
                   .contains("unparsed"));
}

TEST(NdjsonRecordEncoder, RecordWithoutContainerHasEmptyFields) {
  const auto parsed = nlohmann::json::parse(encode(make_record(nullptr, "orphan")));
  EXPECT_EQ(parsed["container_id"], "");
  EXPECT_EQ(parsed["labels"], nlohmann::json::object());
  EXPECT_EQ(parsed["message"], "orphan");
}

TEST(NdjsonRecordEncoder, FileRecordHasPathAndLabelsAndNoContainerOrStreamFields) {
  LogRecord record = make_record(nullptr, "disk full");
  record.file_source = std::make_shared<const FileSource>(
      FileSource{"/var/log/app/\"x\".log", {{"env", "prod"}, {"team", "pay\xFF"}}, "files"});
  record.file_position = FilePosition{FileIdentity{2049, 1318}, 52311};
  record.file_fingerprint = 0xabc;
  const std::string line = encode(record);
  const auto parsed = nlohmann::ordered_json::parse(line);
  EXPECT_EQ(keys_of(parsed), (std::vector<std::string>{"time", "file", "labels", "position",
                                                       "message", "invalid_utf8"}));
  EXPECT_EQ(parsed["file"], "/var/log/app/\"x\".log");
  // device:inode:offset:fingerprint (hex): where the input resumes after this record.
  EXPECT_EQ(parsed["position"], "2049:1318:52311:abc");
  EXPECT_EQ(parsed["labels"]["env"], "prod");
  EXPECT_EQ(parsed["labels"]["team"], "pay\xEF\xBF\xBD");
  EXPECT_EQ(parsed["message"], "disk full");
  EXPECT_EQ(parse_rfc3339(parsed["time"].get<std::string>()), kTime);
}

// The encoder keeps a file's formatted identity between records: each record must still get
// its own file, fingerprint, offset and (while another line was open) end.
TEST(NdjsonRecordEncoder, EachRecordCarriesItsOwnPositionAcrossFilesAndFingerprints) {
  NdjsonRecordEncoder encoder;
  const auto container = make_labelled_container({});
  struct Case {
    FilePosition at;
    std::uint64_t fingerprint;
    FilePosition line_end;
    std::string expected;
  };
  const FileIdentity first{2049, 1318}, second{2049, 77};
  const std::vector<Case> cases = {
      {{first, 10}, 0xabc, {}, "2049:1318:10:abc"},
      {{first, 25}, 0xabc, {first, 40}, "2049:1318:25:abc:2049:1318:40"},
      {{second, 5}, 0xabc, {}, "2049:77:5:abc"},
      {{second, 9}, 0xdef, {second, 9}, "2049:77:9:def"},
      {{first, 60}, 0xabc, {}, "2049:1318:60:abc"},
  };
  std::string out;
  for (const Case& c : cases) {
    LogRecord record = make_record(container, "m");
    record.file_position = c.at;
    record.file_fingerprint = c.fingerprint;
    record.file_line_end = c.line_end;
    encoder.append(out, record);
  }
  std::size_t start = 0;
  for (const Case& c : cases) {
    const std::size_t end = out.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(out.substr(start, end - start))["position"], c.expected);
    start = end + 1;
  }
}

TEST(NdjsonRecordEncoder, FileAndContainerRecordsInterleaveWithTheirOwnFields) {
  NdjsonRecordEncoder encoder;
  const auto container = make_labelled_container({{"tier", "web"}});
  const auto file = std::make_shared<const FileSource>(FileSource{"/var/log/syslog", {}, "files"});
  std::string out;
  for (int i = 0; i < 3; ++i) {
    encoder.append(out, make_record(container, "c" + std::to_string(i)));
    LogRecord record = make_record(nullptr, "f" + std::to_string(i));
    record.file_source = file;
    encoder.append(out, record);
  }
  EXPECT_EQ(encoder.cached_containers(), 2u);
  std::size_t start = 0;
  for (int i = 0; i < 6; ++i) {
    const std::size_t end = out.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const auto parsed = nlohmann::json::parse(out.substr(start, end - start));
    start = end + 1;
    if (i % 2 == 0) {
      EXPECT_EQ(parsed["container_name"], "web-1");
      EXPECT_EQ(parsed["stream"], "stdout");
      EXPECT_EQ(parsed["labels"]["tier"], "web");
      EXPECT_FALSE(parsed.contains("file"));
    } else {
      EXPECT_EQ(parsed["file"], "/var/log/syslog");
      EXPECT_EQ(parsed["labels"], nlohmann::json::object());
      EXPECT_FALSE(parsed.contains("container_id"));
      EXPECT_FALSE(parsed.contains("stream"));
    }
  }
}

TEST(NdjsonRecordEncoder, AppendsLinesForManyContainersWithBoundedCache) {
  NdjsonRecordEncoder encoder;
  std::string out;
  const std::size_t containers = NdjsonRecordEncoder::kMaxCachedContainers + 10;
  for (std::size_t i = 0; i < containers; ++i) {
    auto meta = std::make_shared<ContainerMetadata>();
    meta->id = "id-" + std::to_string(i);
    encoder.append(out, make_record(meta, "m" + std::to_string(i)));
    ASSERT_LE(encoder.cached_containers(), NdjsonRecordEncoder::kMaxCachedContainers);
  }
  std::size_t start = 0;
  for (std::size_t i = 0; i < containers; ++i) {
    const std::size_t end = out.find('\n', start);
    ASSERT_NE(end, std::string::npos);
    const auto parsed = nlohmann::json::parse(out.substr(start, end - start));
    EXPECT_EQ(parsed["container_id"], "id-" + std::to_string(i));
    EXPECT_EQ(parsed["message"], "m" + std::to_string(i));
    start = end + 1;
  }
  EXPECT_EQ(start, out.size());
}

}  // namespace
}  // namespace lc
