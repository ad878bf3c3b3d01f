// What the OTLP encoder puts on the wire, read back by an independent decoder
// (otlp_test_decoder: the specification's field numbers and JSON names, not the sink's code).
#include "sinks/otlp/otlp_logs_encoder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "config/version.hpp"
#include "sinks/loki/loki_test_records.hpp"
#include "sinks/otlp/otlp_test_decoder.hpp"

namespace lc {
namespace {

using testing::attribute;
using testing::DecodedExport;
using ::testing::ElementsAre;
using testing::make_loki_test_container;
using testing::make_loki_test_record;
using ::testing::Pair;

constexpr TimestampNs kTime = 1'700'000'000'123'456'789;

OtlpSinkOptions plain_options() {
  OtlpSinkOptions options;
  options.compression = OtlpSinkOptions::Compression::kNone;
  return options;
}

DecodedExport decode(const OtlpExportBody& body) {
  DecodedExport decoded;
  const std::string error =
      testing::decode_otlp_export(body.data, body.content_type, body.content_encoding, decoded);
  EXPECT_EQ(error, "");
  return decoded;
}

LogRecord file_record(std::string message) {
  auto source = std::make_shared<FileSource>();
  source->path = "/var/log/app/app.log";
  source->input = "app_files";
  LogRecord record;
  record.time = kTime + 5;
  record.file_source = source;
  record.message = std::move(message);
  return record;
}

TEST(OtlpLogsEncoder, OneResourcePerContainerAfterTheSemanticConventions) {
  const auto web = make_loki_test_container("web-1", "shop", "web");
  const auto db = make_loki_test_container("db");
  std::vector<LogRecord> batch{make_loki_test_record(web, kTime, "GET /"),
                               make_loki_test_record(db, kTime + 1, "ready", LogStream::kStderr),
                               make_loki_test_record(web, kTime + 2, "GET /cart"),
                               file_record("from a file")};
  OtlpLogsEncoder encoder(plain_options(), "node-1");
  const OtlpExportBody body = encoder.encode(batch);
  EXPECT_EQ(body.content_type, "application/x-protobuf");
  EXPECT_EQ(body.content_encoding, "");
  EXPECT_EQ(body.resources, 3u);
  const DecodedExport decoded = decode(body);
  ASSERT_EQ(decoded.resources.size(), 3u);

  const auto& web_logs = decoded.resources[0];
  EXPECT_THAT(
      web_logs.resource,
      ElementsAre(Pair("service.name", "\"web\""), Pair("service.namespace", "\"shop\""),
                  Pair("container.id", "\"" + web->id + "\""), Pair("container.name", "\"web-1\""),
                  Pair("container.image.name", "\"registry.local/web-1\""),
                  Pair("container.image.tags", "[\"1.0\"]"), Pair("host.name", "\"node-1\"")));
  EXPECT_EQ(web_logs.scope_name, "log-capturer");
  EXPECT_EQ(web_logs.scope_version, std::string(agent_version()));
  ASSERT_EQ(web_logs.records.size(), 2u);  // batch order within the resource
  EXPECT_EQ(web_logs.records[0].body, "\"GET /\"");
  EXPECT_EQ(web_logs.records[1].body, "\"GET /cart\"");
  EXPECT_THAT(web_logs.records[0].attributes, ElementsAre(Pair("log.iostream", "\"stdout\"")));

  // Without compose labels: service.name is the container's name, no namespace.
  const auto& db_logs = decoded.resources[1];
  EXPECT_EQ(attribute(db_logs.resource, "service.name"), "\"db\"");
  EXPECT_EQ(attribute(db_logs.resource, "service.namespace"), "");
  EXPECT_THAT(db_logs.records.at(0).attributes, ElementsAre(Pair("log.iostream", "\"stderr\"")));

  // A tailed file: service.name is its input, the path a record attribute.
  const auto& file_logs = decoded.resources[2];
  EXPECT_THAT(file_logs.resource,
              ElementsAre(Pair("service.name", "\"app_files\""), Pair("host.name", "\"node-1\"")));
  EXPECT_THAT(file_logs.records.at(0).attributes,
              ElementsAre(Pair("log.file.path", "\"/var/log/app/app.log\"")));
}

TEST(OtlpLogsEncoder, TimesAreTheEventTimeAndTheSourceTime) {
  const auto web = make_loki_test_container("web");
  std::vector<LogRecord> batch{make_loki_test_record(web, kTime, "no event time"),
                               make_loki_test_record(web, kTime + 1, "parsed")};
  batch[1].event_time = kTime - 3'000'000'000;
  OtlpLogsEncoder encoder(plain_options(), "h");
  const DecodedExport decoded = decode(encoder.encode(batch));
  const auto& records = decoded.resources.at(0).records;
  ASSERT_EQ(records.size(), 2u);
  EXPECT_EQ(records[0].time_unix_nano, static_cast<std::uint64_t>(kTime));
  EXPECT_EQ(records[0].observed_time_unix_nano, static_cast<std::uint64_t>(kTime));
  EXPECT_EQ(records[1].time_unix_nano, static_cast<std::uint64_t>(kTime - 3'000'000'000));
  EXPECT_EQ(records[1].observed_time_unix_nano, static_cast<std::uint64_t>(kTime + 1));
}

TEST(OtlpLogsEncoder, FieldsAreTypedAttributesAndTheLevelSetsTheSeverity) {
  const auto web = make_loki_test_container("web");
  LogRecord record = make_loki_test_record(web, kTime, "boom");
  FieldValue& fields = record.fields.edit();
  fields.set("level", "WARNING");
  fields.set("status", std::int64_t{503});
  fields.set("ratio", 0.25);
  fields.set("ok", false);
  fields.set("user", FieldValue::Map{{"id", std::int64_t{7}}, {"name", "ann"}});
  fields.set("tags", FieldValue::List{"a", std::int64_t{2}});
  fields.set("gone", nullptr);
  record.truncated = true;
  record.invalid = true;
  LogRecord numeric = make_loki_test_record(web, kTime + 1, "pino");
  numeric.fields.edit().set("level", std::int64_t{50});  // Bunyan/Pino error
  LogRecord no_level = make_loki_test_record(web, kTime + 2, "plain");
  no_level.fields.edit().set("level", "verbose-ish");

  OtlpLogsEncoder encoder(plain_options(), "h");
  const std::vector<LogRecord> batch{record, numeric, no_level};
  const DecodedExport decoded = decode(encoder.encode(batch));
  const auto& records = decoded.resources.at(0).records;
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].severity_number, 13);       // WARN
  EXPECT_EQ(records[0].severity_text, "WARNING");  // as the source wrote it
  EXPECT_THAT(records[0].attributes,
              ElementsAre(Pair("log.iostream", "\"stdout\""), Pair("level", "\"WARNING\""),
                          Pair("status", "503"), Pair("ratio", "0.25"), Pair("ok", "false"),
                          Pair("user", "{id:7,name:\"ann\"}"), Pair("tags", "[\"a\",2]"),
                          Pair("gone", "null"), Pair("log_capturer.truncated", "true"),
                          Pair("log_capturer.unparsed", "true")));
  EXPECT_EQ(records[1].severity_number, 17);  // ERROR
  EXPECT_EQ(records[1].severity_text, "50");
  EXPECT_EQ(records[2].severity_number, 0);  // not a level: unspecified
  EXPECT_EQ(records[2].severity_text, "verbose-ish");
}

TEST(OtlpLogsEncoder, JsonCarriesTheSameAsProtobufInOtlpJsonForm) {
  const auto web = make_loki_test_container("web-1", "shop", "web");
  LogRecord record = make_loki_test_record(web, kTime, "line \"quoted\"\n");
  record.event_time = kTime - 1;
  record.fields.edit().set("level", "error");
  record.fields.edit().set("n", std::int64_t{-9'007'199'254'740'993});  // beyond a double
  record.fields.edit().set("nested", FieldValue::Map{{"list", FieldValue::List{1.5, true}}});
  const std::vector<LogRecord> batch{record, file_record("f")};

  OtlpLogsEncoder protobuf(plain_options(), "node-1");
  const DecodedExport from_protobuf = decode(protobuf.encode(batch));
  OtlpSinkOptions json_options = plain_options();
  json_options.encoding = OtlpSinkOptions::Encoding::kJson;
  OtlpLogsEncoder json(json_options, "node-1");
  const OtlpExportBody body = json.encode(batch);
  EXPECT_EQ(body.content_type, "application/json");
  EXPECT_EQ(decode(body), from_protobuf);
  // The OTLP/JSON rules themselves: lowerCamelCase, 64-bit integers as strings, enums as
  // integers (the decoder refuses anything else).
  const std::string text(body.data);
  EXPECT_THAT(text, ::testing::HasSubstr("\"timeUnixNano\":\"" + std::to_string(kTime - 1) + "\""));
  EXPECT_THAT(text, ::testing::HasSubstr("\"intValue\":\"-9007199254740993\""));
  EXPECT_THAT(text, ::testing::HasSubstr("\"severityNumber\":17,"));
}

TEST(OtlpLogsEncoder, GzipBodiesDecodeToTheSameRequest) {
  const auto web = make_loki_test_container("web");
  std::vector<LogRecord> batch;
  for (int i = 0; i < 200; ++i) batch.push_back(make_loki_test_record(web, kTime + i, "line"));
  OtlpLogsEncoder plain(plain_options(), "h");
  const DecodedExport expected = decode(plain.encode(batch));
  OtlpSinkOptions gzip_options;  // gzip is the default
  OtlpLogsEncoder gzip(gzip_options, "h");
  const OtlpExportBody body = gzip.encode(batch);
  EXPECT_EQ(body.content_encoding, "gzip");
  EXPECT_EQ(decode(body), expected);
  EXPECT_EQ(expected.resources.at(0).records.size(), 200u);
}

TEST(OtlpLogsEncoder, TextIsRepairedToUtf8) {
  const auto web = make_loki_test_container("web");
  LogRecord record = make_loki_test_record(web, kTime, "caf\xc3\xa9 \xff end");
  record.fields.edit().set("k\xfe", "v\xff");
  OtlpLogsEncoder encoder(plain_options(), "h");
  const DecodedExport decoded = decode(encoder.encode(std::vector<LogRecord>{record}));
  const auto& out = decoded.resources.at(0).records.at(0);
  EXPECT_EQ(out.body, "\"caf\xc3\xa9 \xEF\xBF\xBD end\"");
  EXPECT_THAT(out.attributes, ::testing::Contains(Pair("k\xEF\xBF\xBD", "\"v\xEF\xBF\xBD\"")));
}

TEST(OtlpLogsEncoder, ServiceNameTemplateAndResourceAttributes) {
  OtlpSinkOptions options = plain_options();
  options.service_name = "{{ .labels.app }}";
  options.resource_attributes = {"deployment.environment.name=prod", "host.name=override",
                                 "team={{ .labels.team }}"};
  const auto labelled = make_loki_test_container("api-7", "", "", {{"app", "api"}});
  const auto bare = make_loki_test_container("worker", "proj", "work");
  OtlpLogsEncoder encoder(options, "node-1");
  const std::vector<LogRecord> batch{make_loki_test_record(labelled, kTime, "a"),
                                     make_loki_test_record(bare, kTime, "b")};
  const DecodedExport decoded = decode(encoder.encode(batch));
  ASSERT_EQ(decoded.resources.size(), 2u);
  const auto& first = decoded.resources[0].resource;
  EXPECT_EQ(attribute(first, "service.name"), "\"api\"");
  EXPECT_EQ(attribute(first, "deployment.environment.name"), "\"prod\"");
  EXPECT_EQ(attribute(first, "host.name"), "\"override\"");  // configured beats built-in
  EXPECT_EQ(attribute(first, "team"), "");                   // rendered empty: left out
  // The template renders empty for a container without the label: the compose service.
  EXPECT_EQ(attribute(decoded.resources[1].resource, "service.name"), "\"work\"");
}

TEST(OtlpLogsEncoder, MessagesAreReusedWithoutLeftoversFromTheLastBatch) {
  const auto a = make_loki_test_container("a");
  const auto b = make_loki_test_container("b");
  OtlpLogsEncoder encoder(plain_options(), "h");
  LogRecord with_fields = make_loki_test_record(a, kTime, "x");
  with_fields.fields.edit().set("level", "error");
  encoder.encode(std::vector<LogRecord>{with_fields, make_loki_test_record(b, kTime, "y")});
  const DecodedExport second =
      decode(encoder.encode(std::vector<LogRecord>{make_loki_test_record(b, kTime, "z")}));
  ASSERT_EQ(second.resources.size(), 1u);
  EXPECT_EQ(attribute(second.resources[0].resource, "container.name"), "\"b\"");
  const auto& record = second.resources[0].records.at(0);
  EXPECT_EQ(record.severity_number, 0);
  EXPECT_EQ(record.severity_text, "");
  EXPECT_THAT(record.attributes, ElementsAre(Pair("log.iostream", "\"stdout\"")));
}

}  // namespace
}  // namespace lc
