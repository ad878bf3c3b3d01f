// The Loki push encoder without a network: what it puts on the wire is decoded the way Loki
// does it (snappy + the generated protobuf code, or JSON, gzip'd or not) and checked field by
// field.
#include "sinks/loki/loki_push_encoder.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <snappy.h>

#include "sinks/loki/loki_test_receiver.hpp"
#include "sinks/loki/loki_test_records.hpp"

namespace lc {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kLokiTestBaseTime;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::make_loki_test_record;
using ::testing::Pair;
using testing::ReceivedEntry;
using testing::ReceivedRequest;

ReceivedRequest decode(const LokiPushBody& body) {
  ReceivedRequest request;
  testing::decode_loki_push(body.data, body.content_type, body.content_encoding, request);
  EXPECT_EQ(request.decode_error, "");
  return request;
}

LokiSinkOptions json_config(bool gzip = false) {
  LokiSinkOptions config;
  config.format = LokiSinkOptions::Format::kJson;
  config.gzip = gzip;
  return config;
}

TEST(LokiPushEncoder, DefaultLabelsAreSortedEscapedAndWithoutEmptyValues) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const auto web = make_loki_test_container("we\"b\\1\nx", "shop", "web");
  const auto plain = make_loki_test_container("plain");  // no compose labels
  const std::vector<LogRecord> batch = {
      make_loki_test_record(web, kLokiTestBaseTime, "a"),
      make_loki_test_record(plain, kLokiTestBaseTime + 1, "b", LogStream::kStderr)};
  const LokiPushBody body = encoder.encode(batch);
  EXPECT_EQ(body.content_type, "application/x-protobuf");
  EXPECT_EQ(body.content_encoding, "");
  EXPECT_EQ(body.streams, 2u);
  const ReceivedRequest request = decode(body);
  ASSERT_EQ(request.entries.size(), 2u);
  EXPECT_EQ(request.entries[0].labels,
            R"({compose_project="shop",compose_service="web",container_name="we\"b\\1\nx",)"
            R"(host="node-1",stream="stdout"})");
  EXPECT_EQ(request.entries[0].label_map.at("container_name"), "we\"b\\1\nx");
  EXPECT_EQ(request.entries[1].labels, R"({container_name="plain",host="node-1",stream="stderr"})");
}

TEST(LokiPushEncoder, ConfiguredLabelsUseTemplatesStaticTextAndDrops) {
  LokiSinkOptions config;
  config.labels = {"app={label:com.example.app}", "job=docker", "env=prod-{compose_project}",
                   "stream=out-{stream}", "braces={{{container_name}}}"};
  config.drop_labels = {"host", "compose_service"};
  LokiPushEncoder encoder(config, "node-1");
  const auto web =
      make_loki_test_container("web", "shop", "web", {{"com.example.app", "checkout"}});
  const std::vector<LogRecord> batch = {make_loki_test_record(web, kLokiTestBaseTime, "x")};
  const ReceivedRequest request = decode(encoder.encode(batch));
  ASSERT_EQ(request.entries.size(), 1u);
  EXPECT_EQ(request.entries[0].labels,
            R"({app="checkout",braces="{web}",compose_project="shop",container_name="web",)"
            R"(env="prod-shop",job="docker",stream="out-stdout"})");
  EXPECT_EQ(encoder.labeler().label_names(),
            (std::vector<std::string>{"app", "braces", "compose_project", "container_name", "env",
                                      "job", "stream"}));
}

TEST(LokiPushEncoder, AStreamWhoseLabelsAllRenderEmptyGetsTheAgentLabel) {
  LokiSinkOptions config;
  config.labels = {"app={label:missing}"};
  config.drop_labels = {"container_name", "compose_project", "compose_service", "stream", "host"};
  LokiPushEncoder encoder(config, "node-1");
  const std::vector<LogRecord> batch = {
      make_loki_test_record(make_loki_test_container("web"), kLokiTestBaseTime, "x")};
  const ReceivedRequest request = decode(encoder.encode(batch));
  ASSERT_EQ(request.entries.size(), 1u);
  EXPECT_EQ(request.entries[0].labels, R"({agent="log-capturer"})");
}

TEST(LokiPushEncoder, GroupsRecordsIntoOneStreamPerLabelSet) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const auto a = make_loki_test_container("a");
  const auto b = make_loki_test_container("b");
  // A container recreated under the same name: same labels, so the same stream, but its own
  // container_id in the structured metadata.
  auto a_again = std::make_shared<ContainerMetadata>(*a);
  a_again->id = std::string(64, 'f');
  const std::vector<LogRecord> batch = make_loki_test_batch({a, b, a_again}, 4);
  const LokiPushBody body = encoder.encode(batch);
  EXPECT_EQ(body.streams, 2u);
  EXPECT_EQ(body.entries, 12u);
  const ReceivedRequest request = decode(body);
  ASSERT_EQ(request.streams, 2u);
  ASSERT_EQ(request.entries.size(), 12u);
  // Stream order is first appearance; inside a stream, time order (here: batch order).
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(request.entries[i].label_map.at("container_name"), "a") << i;
    ids.push_back(request.entries[i].structured_metadata.at(0).second);
  }
  EXPECT_EQ(ids, (std::vector<std::string>{a->id, a_again->id, a->id, a_again->id, a->id,
                                           a_again->id, a->id, a_again->id}));
  for (std::size_t i = 8; i < 12; ++i) {
    EXPECT_EQ(request.entries[i].label_map.at("container_name"), "b") << i;
    EXPECT_EQ(request.entries[i].line, "b line " + std::to_string(i - 8));
  }
}

TEST(LokiPushEncoder, SortsEachStreamByTimeKeepingTheOrderOfEqualTimes) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const auto c = make_loki_test_container("c");
  const TimestampNs t = kLokiTestBaseTime;
  const std::vector<LogRecord> batch = {
      make_loki_test_record(c, t + 30, "third"),    make_loki_test_record(c, t + 10, "first"),
      make_loki_test_record(c, t + 20, "second-a"), make_loki_test_record(c, t + 20, "second-b"),
      make_loki_test_record(c, t + 20, "second-c"), make_loki_test_record(c, t + 5, "zeroth")};
  const ReceivedRequest request = decode(encoder.encode(batch));
  std::vector<std::pair<std::int64_t, std::string>> got;
  for (const ReceivedEntry& entry : request.entries) got.emplace_back(entry.time_ns, entry.line);
  EXPECT_THAT(
      got, ElementsAre(Pair(t + 5, "zeroth"), Pair(t + 10, "first"), Pair(t + 20, "second-a"),
                       Pair(t + 20, "second-b"), Pair(t + 20, "second-c"), Pair(t + 30, "third")));
}

TEST(LokiPushEncoder, TimestampsKeepEveryNanosecond) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const auto c = make_loki_test_container("c");
  const std::vector<TimestampNs> times = {1'700'000'000'000'000'001, 1'700'000'000'999'999'999, 1,
                                          -1'500'000'001};
  std::vector<LogRecord> batch;
  for (const TimestampNs time : times) batch.push_back(make_loki_test_record(c, time, "x"));
  const ReceivedRequest request = decode(encoder.encode(batch));
  std::vector<std::int64_t> got;
  for (const ReceivedEntry& entry : request.entries) got.push_back(entry.time_ns);
  EXPECT_EQ(got, (std::vector<std::int64_t>{-1'500'000'001, 1, 1'700'000'000'000'000'001,
                                            1'700'000'000'999'999'999}));
}

// parse_timestamp's event time dates the entry (and orders the stream); the source time only
// when there is none.
TEST(LokiPushEncoder, TheEventTimeDatesEntriesWhenKnown) {
  for (const bool json : {false, true}) {
    LokiPushEncoder encoder(json ? json_config() : LokiSinkOptions{}, "node-1");
    const auto c = make_loki_test_container("c");
    const TimestampNs t = kLokiTestBaseTime;
    std::vector<LogRecord> batch = {make_loki_test_record(c, t + 10, "parsed"),
                                    make_loki_test_record(c, t + 20, "unparsed")};
    batch[0].event_time = t + 30;
    const ReceivedRequest request = decode(encoder.encode(batch));
    std::vector<std::pair<std::int64_t, std::string>> got;
    for (const ReceivedEntry& entry : request.entries) got.emplace_back(entry.time_ns, entry.line);
    EXPECT_THAT(got, ElementsAre(Pair(t + 20, "unparsed"), Pair(t + 30, "parsed"))) << json;
  }
}

// Loki keeps one of two entries equal in stream, time and line: equal lines whose event time
// says only the second take the source time's sub-second digits, and stay two entries.
TEST(LokiPushEncoder, EqualLinesOfOneStatedSecondStayDistinctEntries) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const auto c = make_loki_test_container("c");
  const TimestampNs second = 1'796'589'614'000'000'000;
  std::vector<LogRecord> batch = {make_loki_test_record(c, kLokiTestBaseTime + 7, "GET /health"),
                                  make_loki_test_record(c, kLokiTestBaseTime + 9, "GET /health"),
                                  make_loki_test_record(c, kLokiTestBaseTime + 11, "ms")};
  batch[0].event_time = second;
  batch[1].event_time = second;
  batch[2].event_time = second + 123'000'000;  // stated to the millisecond
  const ReceivedRequest request = decode(encoder.encode(batch));
  std::vector<std::int64_t> got;
  for (const ReceivedEntry& entry : request.entries) got.push_back(entry.time_ns);
  const TimestampNs below_second = kLokiTestBaseTime % 1'000'000'000;
  const TimestampNs below_ms = kLokiTestBaseTime % 1'000'000;
  EXPECT_EQ(got, (std::vector<std::int64_t>{second + below_second + 7, second + below_second + 9,
                                            second + 123'000'000 + below_ms + 11}));
}

TEST(LokiPushEncoder, StructuredMetadataDefaultsToContainerIdAndImage) {
  const auto c = make_loki_test_container("web", "shop", "web", {{"team", "payments"}});
  const std::vector<LogRecord> batch = {make_loki_test_record(c, kLokiTestBaseTime, "x")};
  {
    LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
    const ReceivedRequest request = decode(encoder.encode(batch));
    ASSERT_EQ(request.entries.size(), 1u);
    EXPECT_THAT(request.entries[0].structured_metadata,
                ElementsAre(Pair("container_id", c->id), Pair("image", c->image)));
  }
  {
    LokiSinkOptions config;
    config.structured_metadata = {"team={label:team}", "absent={label:nope}", "container_name"};
    LokiPushEncoder encoder(config, "node-1");
    const ReceivedRequest request = decode(encoder.encode(batch));
    EXPECT_THAT(request.entries[0].structured_metadata,
                ElementsAre(Pair("team", "payments"), Pair("container_name", "web")));
  }
  {
    LokiSinkOptions config;
    config.structured_metadata = {};
    LokiPushEncoder encoder(config, "node-1");
    const ReceivedRequest request = decode(encoder.encode(batch));
    EXPECT_THAT(request.entries[0].structured_metadata, IsEmpty());
  }
}

TEST(LokiPushEncoder, ProtobufBodyIsASnappyBlock) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const auto batch = make_loki_test_batch({make_loki_test_container("c")}, 50);
  const LokiPushBody body = encoder.encode(batch);
  EXPECT_TRUE(snappy::IsValidCompressedBuffer(body.data.data(), body.data.size()));
  std::string raw;
  ASSERT_TRUE(snappy::Uncompress(body.data.data(), body.data.size(), &raw));
  logproto::PushRequest push;
  ASSERT_TRUE(push.ParseFromString(raw));
  EXPECT_EQ(push.streams_size(), 1);
  EXPECT_EQ(push.streams(0).entries_size(), 50);
  EXPECT_EQ(push.streams(0).hash(), 0u);
}

TEST(LokiPushEncoder, InvalidUtf8IsRepairedSoLokiCanStoreIt) {
  const auto c = make_loki_test_container("c");
  const std::vector<LogRecord> batch = {make_loki_test_record(c, kLokiTestBaseTime, "ok"),
                                        make_loki_test_record(c, kLokiTestBaseTime + 1,
                                                              "a\xff"
                                                              "b\xe2\x82")};
  for (const bool json : {false, true}) {
    LokiPushEncoder encoder(json ? json_config() : LokiSinkOptions{}, "node-1");
    const ReceivedRequest request = decode(encoder.encode(batch));
    ASSERT_EQ(request.entries.size(), 2u);
    EXPECT_EQ(request.entries[0].line, "ok");
    EXPECT_EQ(request.entries[1].line,
              "a\xEF\xBF\xBD"
              "b\xEF\xBF\xBD")
        << json;
    EXPECT_EQ(encoder.repaired_lines(), 1u);
  }
}

TEST(LokiPushEncoder, JsonFormatIsLokisJsonPushApi) {
  LokiSinkOptions config = json_config();
  config.structured_metadata = {"container_id"};
  LokiPushEncoder encoder(config, "node-1");
  const auto c = make_loki_test_container("web");
  LokiSinkOptions no_metadata = json_config();
  no_metadata.structured_metadata = {};
  LokiPushEncoder bare(no_metadata, "node-1");
  const std::vector<LogRecord> batch = {
      make_loki_test_record(c, 1'700'000'000'000'000'001, "say \"hi\"\n\ttab")};
  const LokiPushBody body = encoder.encode(batch);
  EXPECT_EQ(body.content_type, "application/json");
  EXPECT_EQ(body.content_encoding, "");
  EXPECT_EQ(body.data,
            R"({"streams":[{"stream":{"container_name":"web","host":"node-1","stream":"stdout"},)"
            R"("values":[["1700000000000000001","say \"hi\"\n\ttab",{"container_id":")" +
                c->id + R"("}]]}]})");
  EXPECT_EQ(bare.encode(batch).data,
            R"({"streams":[{"stream":{"container_name":"web","host":"node-1","stream":"stdout"},)"
            R"("values":[["1700000000000000001","say \"hi\"\n\ttab"]]}]})");
}

TEST(LokiPushEncoder, FlagsAreStructuredMetadataUnlessItIsOff) {
  const auto c = make_loki_test_container("web");
  std::vector<LogRecord> batch = {make_loki_test_record(c, kLokiTestBaseTime, "cut"),
                                  make_loki_test_record(c, kLokiTestBaseTime + 1, "raw"),
                                  make_loki_test_record(c, kLokiTestBaseTime + 2, "plain")};
  batch[0].truncated = true;
  batch[1].invalid = true;
  batch[1].truncated = true;
  for (const bool json : {false, true}) {
    SCOPED_TRACE(json ? "json" : "protobuf");
    LokiSinkOptions config = json ? json_config() : LokiSinkOptions{};
    config.structured_metadata = {"container_name"};
    LokiPushEncoder encoder(config, "node-1");
    const ReceivedRequest request = decode(encoder.encode(batch));
    ASSERT_EQ(request.entries.size(), 3u);
    EXPECT_THAT(request.entries[0].structured_metadata,
                ElementsAre(Pair("container_name", "web"), Pair("truncated", "true")));
    EXPECT_THAT(request.entries[1].structured_metadata,
                ElementsAre(Pair("container_name", "web"), Pair("truncated", "true"),
                            Pair("unparsed", "true")));
    EXPECT_THAT(request.entries[2].structured_metadata, ElementsAre(Pair("container_name", "web")));
    config.structured_metadata = {"absent={label:nope}"};  // renders empty: flags alone
    LokiPushEncoder flags_only(config, "node-1");
    const ReceivedRequest alone = decode(flags_only.encode(batch));
    EXPECT_THAT(alone.entries[0].structured_metadata, ElementsAre(Pair("truncated", "true")));
    EXPECT_THAT(alone.entries[2].structured_metadata, IsEmpty());
    config.structured_metadata = {};
    LokiPushEncoder bare(config, "node-1");
    for (const ReceivedEntry& entry : decode(bare.encode(batch)).entries) {
      EXPECT_THAT(entry.structured_metadata, IsEmpty());
    }
  }
}

LogRecord record_with_fields(const ContainerMetadataPtr& container, int n, FieldValue::Map fields) {
  LogRecord record =
      make_loki_test_record(container, kLokiTestBaseTime + n, "line " + std::to_string(n));
  record.fields = RecordFields(std::move(fields));
  return record;
}

TEST(LokiPushEncoder, FieldsBecomeLabelsStructuredMetadataAndTheLine) {
  const auto c = make_loki_test_container("web");
  const std::vector<LogRecord> batch = {
      record_with_fields(
          c, 0, {{"level", "error"}, {"trace", "t0"}, {"status", 500}, {"message", "left out"}}),
      record_with_fields(c, 1, {{"level", "info"}, {"trace", "t1"}}),
      record_with_fields(c, 2, {{"level", "error"}, {"trace", "t2"}}),
      record_with_fields(c, 3, {}),
  };
  for (const auto format : {LokiSinkOptions::Format::kProtobuf, LokiSinkOptions::Format::kJson}) {
    LokiSinkOptions config;
    config.format = format;
    config.labels = {"level={{ .fields.level }}"};
    config.drop_labels = {"compose_project", "compose_service", "host"};
    config.structured_metadata = {"trace={{ .fields.trace }}"};
    config.line_format = LokiSinkOptions::LineFormat::kJson;
    LokiPushEncoder encoder(config, "node-1");
    const LokiPushBody body = encoder.encode(batch);
    EXPECT_EQ(body.streams, 3u);  // error, info, and no level at all
    const ReceivedRequest request = decode(body);
    ASSERT_EQ(request.entries.size(), 4u);
    for (const ReceivedEntry& entry : request.entries) {
      const std::string labels = entry.labels;
      if (entry.time_ns == kLokiTestBaseTime) {
        EXPECT_EQ(labels, R"({container_name="web",level="error",stream="stdout"})");
        EXPECT_THAT(entry.structured_metadata, ElementsAre(Pair("trace", "t0")));
        EXPECT_EQ(entry.line, R"({"message":"line 0","level":"error","trace":"t0","status":500})");
      } else if (entry.time_ns == kLokiTestBaseTime + 1) {
        EXPECT_EQ(labels, R"({container_name="web",level="info",stream="stdout"})");
        EXPECT_THAT(entry.structured_metadata, ElementsAre(Pair("trace", "t1")));
      } else if (entry.time_ns == kLokiTestBaseTime + 2) {
        EXPECT_EQ(labels, R"({container_name="web",level="error",stream="stdout"})");
        EXPECT_THAT(entry.structured_metadata, ElementsAre(Pair("trace", "t2")));
      } else {
        EXPECT_EQ(labels, R"({container_name="web",stream="stdout"})");
        EXPECT_THAT(entry.structured_metadata, IsEmpty());
        EXPECT_EQ(entry.line, R"({"message":"line 3"})");
      }
    }
    // One cache entry per source, stream and distinct values of the templates reading .fields.
    EXPECT_EQ(encoder.labeler().cached_entries(), 4u);
  }
}

TEST(LokiPushEncoder, JsonAndProtobufCarryTheSameEntries) {
  const auto batch = make_loki_test_batch(
      {make_loki_test_container("a", "p", "s"), make_loki_test_container("b")}, 20);
  LokiPushEncoder protobuf(LokiSinkOptions{}, "node-1");
  LokiPushEncoder json(json_config(), "node-1");
  const ReceivedRequest from_protobuf = decode(protobuf.encode(batch));
  const ReceivedRequest from_json = decode(json.encode(batch));
  ASSERT_EQ(from_protobuf.entries.size(), 40u);
  ASSERT_EQ(from_json.entries.size(), 40u);
  for (std::size_t i = 0; i < 40; ++i) {
    EXPECT_EQ(from_json.entries[i].labels, from_protobuf.entries[i].labels) << i;
    EXPECT_EQ(from_json.entries[i].time_ns, from_protobuf.entries[i].time_ns) << i;
    EXPECT_EQ(from_json.entries[i].line, from_protobuf.entries[i].line) << i;
    EXPECT_EQ(from_json.entries[i].structured_metadata,
              from_protobuf.entries[i].structured_metadata)
        << i;
  }
}

TEST(LokiPushEncoder, GzipRoundTrip) {
  const auto batch = make_loki_test_batch({make_loki_test_container("a")}, 200);
  LokiPushEncoder plain(json_config(false), "node-1");
  LokiPushEncoder gzip(json_config(true), "node-1");
  const std::string plain_body(plain.encode(batch).data);
  const LokiPushBody body = gzip.encode(batch);
  EXPECT_EQ(body.content_encoding, "gzip");
  ASSERT_GE(body.data.size(), 18u);
  EXPECT_EQ(static_cast<unsigned char>(body.data[0]), 0x1f);  // gzip magic
  EXPECT_EQ(static_cast<unsigned char>(body.data[1]), 0x8b);
  EXPECT_LT(body.data.size(), plain_body.size() / 4);  // repetitive lines compress well
  const ReceivedRequest request = decode(body);
  ASSERT_EQ(request.entries.size(), 200u);
  EXPECT_EQ(request.entries[199].line, "a line 199");
  // A second batch through the same (reset) compressor decodes on its own.
  const ReceivedRequest again = decode(gzip.encode(std::span(batch).first(3)));
  EXPECT_EQ(again.entries.size(), 3u);
}

TEST(LokiPushEncoder, ReusedBuffersCarryNothingOverBetweenBatches) {
  for (const bool json : {false, true}) {
    LokiPushEncoder encoder(json ? json_config() : LokiSinkOptions{}, "node-1");
    const auto big =
        make_loki_test_batch({make_loki_test_container("a"), make_loki_test_container("b"),
                              make_loki_test_container("c")},
                             100);
    EXPECT_EQ(decode(encoder.encode(big)).entries.size(), 300u);
    const std::vector<LogRecord> small = {
        make_loki_test_record(make_loki_test_container("d"), kLokiTestBaseTime, "only")};
    const LokiPushBody body = encoder.encode(small);
    EXPECT_EQ(body.streams, 1u);
    const ReceivedRequest request = decode(body);
    ASSERT_EQ(request.entries.size(), 1u);
    EXPECT_EQ(request.entries[0].line, "only");
    EXPECT_EQ(request.entries[0].label_map.at("container_name"), "d");
  }
}

TEST(LokiPushEncoder, LabelCacheIsBoundedAcrossContainerChurn) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  for (std::size_t i = 0; i < LokiRecordLabeler::kMaxCachedEntries + 10; ++i) {
    const std::vector<LogRecord> batch = {make_loki_test_record(
        make_loki_test_container("c" + std::to_string(i)), kLokiTestBaseTime, "x")};
    const ReceivedRequest request = decode(encoder.encode(batch));
    ASSERT_EQ(request.entries.at(0).label_map.at("container_name"), "c" + std::to_string(i));
    EXPECT_LE(encoder.labeler().cached_entries(), LokiRecordLabeler::kMaxCachedEntries + 1);
  }
}

TEST(LokiPushEncoder, RecordsWithoutContainerStillGetAValidStream) {
  LokiPushEncoder encoder(LokiSinkOptions{}, "node-1");
  const std::vector<LogRecord> batch = {make_loki_test_record(nullptr, kLokiTestBaseTime, "x")};
  const ReceivedRequest request = decode(encoder.encode(batch));
  ASSERT_EQ(request.entries.size(), 1u);
  EXPECT_EQ(request.entries[0].labels, R"({host="node-1",stream="stdout"})");
  EXPECT_THAT(request.entries[0].structured_metadata, IsEmpty());
}

}  // namespace
}  // namespace lc
