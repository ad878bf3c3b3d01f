// The Elasticsearch sink against a stand-in that keeps an index as Elasticsearch does (ids,
// 409 on create, per-item answers): the bulk body's shape, stable ids that make a replay index
// nothing twice, item-by-item results, and each class of whole-request answer.
#include "sinks/elasticsearch/elasticsearch_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "docker/docker_test_support.hpp"
#include "sinks/common/test_certificates.hpp"
#include "sinks/elasticsearch/elasticsearch_document_id.hpp"
#include "sinks/elasticsearch/elasticsearch_index_name.hpp"
#include "sinks/elasticsearch/elasticsearch_test_receiver.hpp"
#include "sinks/loki/loki_test_records.hpp"

namespace lc {
namespace {

using testing::BulkDocument;
using testing::BulkItemFault;
using testing::ElasticsearchTestReceiver;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::ReceivedRequest;
using testing::ReceiverReply;
using Kind = SinkWriteOutcome::Kind;

// 2023-11-14T22:13:20.123456789Z
constexpr TimestampNs kBase = testing::kLokiTestBaseTime;

std::vector<std::string> messages_of(const std::vector<BulkDocument>& documents) {
  std::vector<std::string> messages;
  for (const BulkDocument& document : documents) {
    messages.push_back(nlohmann::json::parse(document.source)["message"]);
  }
  return messages;
}

std::vector<std::string> messages_of(const std::vector<LogRecord>& batch) {
  std::vector<std::string> messages;
  for (const LogRecord& record : batch) messages.push_back(record.message);
  return messages;
}

std::vector<BulkDocument> documents_of(const ReceivedRequest& request) {
  std::vector<BulkDocument> documents;
  EXPECT_FALSE(
      testing::decode_bulk_body(request.body, request.header("content-encoding"), documents));
  return documents;
}

std::string id_of(const LogRecord& record) {
  std::string id;
  append_elasticsearch_document_id(id, record);
  return id;
}

class ElasticsearchSinkTest : public ::testing::Test {
 protected:
  ElasticsearchSinkOptions options_for(const ElasticsearchTestReceiver& receiver) {
    ElasticsearchSinkOptions options;
    options.endpoints = {receiver.endpoint()};
    options.connect_timeout = std::chrono::seconds(2);
    options.request_timeout = std::chrono::seconds(2);
    return options;
  }
  SinkWriteOutcome write(ElasticsearchSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(20));
  }
  std::string metrics() { return registry_.render(); }

  boost::asio::io_context io_;
  MetricsRegistry registry_;
};

TEST_F(ElasticsearchSinkTest, SendsCreateActionsWithStableIdsDatedIndexesAndTimestamps) {
  ElasticsearchTestReceiver receiver;
  ElasticsearchSinkOptions options = options_for(receiver);
  options.index = "logs-{{ .compose_project }}-%Y.%m.%d";
  options.pipeline = "logs@custom";
  options.api_key = "a2V5OnNlY3JldA==";
  ElasticsearchSink sink("es", options, registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web", "Shop/Front")}, 3);
  batch[2].event_time = kBase - 86'400'000'000'000;  // a day earlier, as the line says
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target,
            "/_bulk?filter_path=errors,items.*.status,items.*.error.type,items.*.error.reason"
            "&pipeline=logs%40custom");
  EXPECT_EQ(request.header("content-type"), "application/x-ndjson");
  EXPECT_EQ(request.header("content-encoding"), "gzip");
  EXPECT_EQ(request.header("authorization"), "ApiKey a2V5OnNlY3JldA==");
  const auto documents = documents_of(request);
  ASSERT_EQ(documents.size(), 3u);
  // The record's own date; values lower case, '/' made '_'.
  EXPECT_EQ(documents[0].index, "logs-shop_front-2023.11.14");
  EXPECT_EQ(documents[2].index, "logs-shop_front-2023.11.13");
  std::set<std::string> ids;
  for (std::size_t i = 0; i < documents.size(); ++i) {
    EXPECT_EQ(documents[i].action, "create");
    EXPECT_EQ(documents[i].id, id_of(batch[i]));
    EXPECT_EQ(documents[i].id.size(), 22u);
    ids.insert(documents[i].id);
    const auto source = nlohmann::json::parse(documents[i].source);
    EXPECT_EQ(source["message"], batch[i].message);
    EXPECT_EQ(source["container_name"], "web");
    EXPECT_EQ(source["compose_project"], "Shop/Front");
  }
  EXPECT_EQ(ids.size(), 3u);
  EXPECT_EQ(nlohmann::json::parse(documents[0].source)["@timestamp"],
            "2023-11-14T22:13:20.123456789Z");
  EXPECT_EQ(nlohmann::json::parse(documents[2].source)["@timestamp"],
            "2023-11-13T22:13:20.123456789Z");
  EXPECT_THAT(metrics(), HasSubstr("log_capturer_elasticsearch_bulk_items_total{sink=\"es\","
                                   "result=\"created\"} 3"));
}

TEST_F(ElasticsearchSinkTest, IdsFollowTheSourcePositionNotTheContent) {
  const auto web = make_loki_test_container("web");
  LogRecord record = make_loki_test_batch({web}, 1)[0];
  LogRecord same = record;
  same.message = "same place, text changed by a processor";
  EXPECT_EQ(id_of(record), id_of(same));
  LogRecord next_rank = record;
  next_rank.index_at_time = 1;  // a second line with the same Docker time
  LogRecord other_stream = record;
  other_stream.stream = LogStream::kStderr;
  LogRecord other_container = record;
  other_container.container = make_loki_test_container("db");
  LogRecord emitted = record;
  emitted.fields.edit().set("emit_index", FieldValue(std::int64_t{1}));
  std::set<std::string> ids{id_of(record), id_of(next_rank), id_of(other_stream),
                            id_of(other_container), id_of(emitted)};
  EXPECT_EQ(ids.size(), 5u);
  // A tailed file's records: by fingerprint and offset; their read time is no position.
  auto file = std::make_shared<FileSource>();
  file->path = "/var/log/app.log";
  LogRecord line;
  line.file_source = file;
  line.file_position = {{1, 2}, 100};
  line.file_fingerprint = 0xfeed;
  line.time = kBase;
  LogRecord read_again = line;
  read_again.time = kBase + 5'000'000'000;
  EXPECT_EQ(id_of(line), id_of(read_again));
  LogRecord next_line = line;
  next_line.file_position.offset = 180;
  EXPECT_NE(id_of(line), id_of(next_line));
  // Two files with the same first line (a CSV header): same fingerprint, other inodes.
  LogRecord other_file = line;
  other_file.file_position.file.inode = 3;
  EXPECT_NE(id_of(line), id_of(other_file));
  // A truncated file reuses its offsets: another line there is another record.
  LogRecord rewritten = line;
  rewritten.message = "a new line where an old one was";
  EXPECT_NE(id_of(line), id_of(rewritten));
}

// A json-file line that is not JSON has its neighbour's time and no rank; through the disk
// buffer it keeps only `invalid`. It must never share the neighbour's id (a 409 would drop it).
TEST_F(ElasticsearchSinkTest, AnInvalidLineNeverTakesItsNeighboursId) {
  LogRecord valid = make_loki_test_batch({make_loki_test_container("web")}, 1)[0];
  valid.file_fingerprint = 0xabc;
  valid.file_position = {{1, 2}, 100};
  LogRecord invalid = valid;
  invalid.message = "{not json";
  invalid.invalid = true;
  invalid.time_estimated = true;
  invalid.file_position.offset = 130;
  EXPECT_NE(id_of(valid), id_of(invalid));
  LogRecord after_disk_buffer = invalid;
  after_disk_buffer.time_estimated = false;  // the codec keeps `invalid` only
  EXPECT_EQ(id_of(invalid), id_of(after_disk_buffer));
  LogRecord redated = invalid;  // dated by another neighbour after a resume
  redated.time += 5'000'000;
  EXPECT_EQ(id_of(invalid), id_of(redated));
  LogRecord second_invalid = invalid;  // read while the same line of the other stream is open
  second_invalid.message = "{also not json";
  EXPECT_NE(id_of(invalid), id_of(second_invalid));
}

TEST_F(ElasticsearchSinkTest, DataStreamModeCreatesIntoTheStreamWithItsFields) {
  ElasticsearchTestReceiver receiver;
  ElasticsearchSinkOptions options = options_for(receiver);
  options.mode = ElasticsearchSinkOptions::Mode::kDataStream;
  options.data_stream_dataset = "{{ .compose_service }}";
  options.compression = ElasticsearchSinkOptions::Compression::kNone;
  ElasticsearchSink sink("es", options, registry_);
  ASSERT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("w", "p", "Api")}, 1)).kind,
            Kind::kDelivered);
  const auto documents = receiver.stored();
  ASSERT_EQ(documents.size(), 1u);
  EXPECT_EQ(documents[0].index, "logs-api-default");
  const auto source = nlohmann::json::parse(documents[0].source);
  EXPECT_EQ(source["data_stream"],
            nlohmann::json({{"type", "logs"}, {"dataset", "api"}, {"namespace", "default"}}));
}

// The issue's case: a bulk answer with mixed item results. Only the failed items are sent
// again; the mapping error is dead-lettered with the item's error; nothing is indexed twice.
TEST_F(ElasticsearchSinkTest, MixedItemResultsResendOnlyTheRetryableItems) {
  ElasticsearchTestReceiver receiver;
  bool faults = true;
  receiver.set_item_policy([&](const BulkDocument& document) -> std::optional<BulkItemFault> {
    const std::string message = nlohmann::json::parse(document.source)["message"];
    if (message == "web line 4") {
      return BulkItemFault{400, "mapper_parsing_exception", "failed to parse field [status]"};
    }
    if (faults && message == "web line 1") return BulkItemFault{};  // 429
    if (faults && message == "web line 2") {
      return BulkItemFault{503, "unavailable_shards_exception", "primary shard is not active"};
    }
    return std::nullopt;
  });
  ElasticsearchSink sink("es", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 6);
  const SinkWriteOutcome first = write(sink, batch);
  ASSERT_EQ(first.kind, Kind::kRetry);
  EXPECT_THAT(first.reason, HasSubstr("could not take 2 of 6 records"));
  EXPECT_THAT(first.reason, HasSubstr("es_rejected_execution_exception"));
  faults = false;
  const SinkWriteOutcome second = write(sink, batch);
  ASSERT_EQ(second.kind, Kind::kRejected) << second.reason;
  EXPECT_THAT(second.refused_records, ElementsAre(4u));
  EXPECT_THAT(second.reason, HasSubstr("mapper_parsing_exception: failed to parse field"));
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(messages_of(documents_of(requests[1])),
            (std::vector<std::string>{"web line 1", "web line 2"}));
  EXPECT_EQ(messages_of(receiver.stored()),
            (std::vector<std::string>{"web line 0", "web line 3", "web line 5", "web line 1",
                                      "web line 2"}));
  EXPECT_EQ(receiver.conflicts(), 0u);
  const std::string text = metrics();
  EXPECT_THAT(text, HasSubstr("bulk_items_total{sink=\"es\",result=\"retried\"} 2"));
  // Refused once: the retry does not send it again.
  EXPECT_THAT(text, HasSubstr("bulk_items_total{sink=\"es\",result=\"refused\"} 1"));
  EXPECT_THAT(text, HasSubstr("log_capturer_sink_records_written_total{sink=\"es\"} 5"));
}

// A restart sends again what it cannot know was indexed: the ids make Elasticsearch answer
// 409, which counts as delivered, and the index holds each record once.
TEST_F(ElasticsearchSinkTest, ABatchSentAgainByANewSinkIndexesNothingTwice) {
  ElasticsearchTestReceiver receiver;
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  {
    ElasticsearchSink sink("es", options_for(receiver), registry_);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  }
  auto replay = batch;
  replay.push_back(make_loki_test_batch({make_loki_test_container("web")}, 1, kBase + 999)[0]);
  ElasticsearchSink restarted("es", options_for(receiver), registry_);
  ASSERT_EQ(write(restarted, replay).kind, Kind::kDelivered);
  EXPECT_EQ(receiver.stored().size(), 5u);
  EXPECT_EQ(receiver.conflicts(), 4u);
  EXPECT_THAT(metrics(), HasSubstr("bulk_items_total{sink=\"es\",result=\"already_indexed\"} 4"));
}

TEST_F(ElasticsearchSinkTest, AnAnswerThatCannotBeReadItemByItemTakesNoRecord) {
  ElasticsearchTestReceiver receiver;
  int answers = 0;
  receiver.set_request_policy([&](const ReceivedRequest&) -> std::optional<ReceiverReply> {
    switch (answers++) {
      case 0:
        return ReceiverReply::answer(200, "<html>proxy says hi</html>");
      case 1:
        return ReceiverReply::answer(200, R"({"took":1,"errors":false,"items":[]})");
      case 2:
        return ReceiverReply::answer(200, R"({"took":1,"errors":false,"items":[{"create":{}}]})");
      default:
        return std::nullopt;
    }
  });
  ElasticsearchSink sink("es", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 1);
  for (const char* problem : {"not JSON", "0 items for 1 documents", "no HTTP status"}) {
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, Kind::kRetry) << problem;
    EXPECT_TRUE(outcome.not_the_records) << problem;
    EXPECT_THAT(outcome.reason, HasSubstr(problem));
  }
  EXPECT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(receiver.stored().size(), 1u);
  EXPECT_THAT(metrics(), HasSubstr("log_capturer_sink_records_written_total{sink=\"es\"} 1"));
}

TEST_F(ElasticsearchSinkTest, WholeRequestAnswersSplitHoldOrRetryByClass) {
  ElasticsearchTestReceiver receiver;
  unsigned status = 413;
  receiver.set_request_policy([&](const ReceivedRequest& request) -> std::optional<ReceiverReply> {
    if (status == 413 && documents_of(request).size() > 2) return ReceiverReply::answer(413);
    if (status == 413) return std::nullopt;
    return ReceiverReply::answer(status, R"({"error":{"type":"x","reason":"y"},"status":0})");
  });
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 8);
  {
    ElasticsearchSink sink("es", options_for(receiver), registry_);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
    EXPECT_EQ(messages_of(receiver.stored()), messages_of(batch));
  }
  for (const unsigned answer : {404u, 401u, 403u, 503u, 429u, 400u}) {
    status = answer;
    ElasticsearchSink sink("es", options_for(receiver), registry_);
    const SinkWriteOutcome outcome = write(sink, batch);
    if (answer == 404) {
      EXPECT_EQ(outcome.kind, Kind::kHold) << answer;
      EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kMisconfiguration);
    } else if (answer == 401 || answer == 403) {
      EXPECT_EQ(outcome.kind, Kind::kHold) << answer;
      EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kAuth);
    } else {
      // 400 included: a well-formed bulk body's 400 is about the request (an unknown
      // pipeline), never a verdict on its records.
      EXPECT_EQ(outcome.kind, Kind::kRetry) << answer;
      EXPECT_EQ(outcome.not_the_records, answer == 400) << answer;
    }
  }
  EXPECT_EQ(receiver.stored().size(), 8u);
}

TEST_F(ElasticsearchSinkTest, AnItemTheCredentialsMayNotWriteHoldsTheSink) {
  ElasticsearchTestReceiver receiver;
  bool forbidden = true;
  receiver.set_item_policy([&](const BulkDocument& document) -> std::optional<BulkItemFault> {
    if (forbidden && document.source.find("line 1") != std::string::npos) {
      return BulkItemFault{403, "security_exception",
                           "action [indices:data/write/bulk[s]] is "
                           "unauthorized"};
    }
    return std::nullopt;
  });
  ElasticsearchSink sink("es", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  SinkWriteOutcome outcome = write(sink, batch);
  for (int i = 0; i < 5 && outcome.kind == Kind::kRetry; ++i) outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kHold);
  EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kAuth);
  EXPECT_THAT(outcome.reason, HasSubstr("security_exception"));
  forbidden = false;
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(messages_of(receiver.stored()),
            (std::vector<std::string>{"web line 0", "web line 2", "web line 1"}));
}

// Values that would make an index name Elasticsearch refuses (every record dead-lettered) are
// made valid: a label that rendered empty, non-ASCII, a path; the receiver checks the rules.
TEST_F(ElasticsearchSinkTest, RenderedIndexNamesAreAlwaysValid) {
  ElasticsearchTestReceiver receiver;
  ElasticsearchSinkOptions options = options_for(receiver);
  options.index = "{{ .labels.team }}-{{ .container_name }}";
  ElasticsearchSink sink("es", options, registry_);
  auto batch = make_loki_test_batch(
      {make_loki_test_container("Über/App"), make_loki_test_container(std::string(300, 'x'))}, 1);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto documents = receiver.stored();
  ASSERT_EQ(documents.size(), 2u);
  // "-" + "__ber_app" ("Ü" is two bytes, "/" one): leading "-" and "_" dropped.
  EXPECT_EQ(documents[0].index, "ber_app");
  EXPECT_EQ(documents[1].index.size(), 255u);
  ElasticsearchIndexName name;
  ASSERT_FALSE(ElasticsearchIndexName::parse("{{ .labels.none }}", name));
  std::string rendered;
  name.render(RecordContext{batch[0], ""}, rendered);
  EXPECT_EQ(rendered, "log-capturer-unnamed");
}

// A pipeline that does not exist is answered per item: the sink holds, nothing is
// dead-lettered, and the batch goes in once the pipeline is there.
TEST_F(ElasticsearchSinkTest, AMissingPipelineHoldsInsteadOfDeadLettering) {
  ElasticsearchTestReceiver receiver;
  bool missing = true;
  receiver.set_item_policy([&](const BulkDocument&) -> std::optional<BulkItemFault> {
    if (!missing) return std::nullopt;
    return BulkItemFault{400, "illegal_argument_exception", "pipeline with id [x] does not exist"};
  });
  ElasticsearchSinkOptions options = options_for(receiver);
  options.pipeline = "x";
  ElasticsearchSink sink("es", options, registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  const SinkWriteOutcome outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kHold);
  EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kMisconfiguration);
  EXPECT_THAT(outcome.reason, HasSubstr("pipeline with id [x] does not exist"));
  missing = false;
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(receiver.stored().size(), 3u);
}

// With a pipeline, a document Elasticsearch cannot parse fails the whole bulk: the batch is split
// until it stands alone and goes to the dead letters; the others are indexed.
TEST_F(ElasticsearchSinkTest, AWholeRequestParseErrorIsolatesTheBadDocument) {
  ElasticsearchTestReceiver receiver;
  receiver.set_request_policy([&](const ReceivedRequest& request) -> std::optional<ReceiverReply> {
    for (const BulkDocument& document : documents_of(request)) {
      if (document.source.find("web line 2") == std::string::npos) continue;
      return ReceiverReply::answer(
          400,
          R"({"error":{"type":"x_content_parse_exception","reason":"[1:9] bad"},"status":400})");
    }
    return std::nullopt;
  });
  ElasticsearchSink sink("es", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ElementsAre(2u));
  EXPECT_EQ(messages_of(receiver.stored()),
            (std::vector<std::string>{"web line 0", "web line 1", "web line 3"}));
}

// Indexed, then the answer lost on the way back: the retry is answered 409 for every document,
// which counts as delivered; the index holds each once.
TEST_F(ElasticsearchSinkTest, AnAnswerLostAfterIndexingIsHarmless) {
  ElasticsearchTestReceiver receiver;
  int requests = 0;
  receiver.set_answer_loss([&](const ReceivedRequest&) { return ++requests == 1; });
  ElasticsearchSink sink("es", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 5);
  SinkWriteOutcome outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(receiver.stored().size(), 5u);
  EXPECT_EQ(receiver.conflicts(), 5u);
}

TEST_F(ElasticsearchSinkTest, EndpointsAreUsedInTurnAndADeadOneIsPassedOver) {
  ElasticsearchTestReceiver first;
  ElasticsearchTestReceiver second;
  ElasticsearchSinkOptions options = options_for(first);
  options.endpoints.push_back(second.endpoint());
  ElasticsearchSink sink("es", options, registry_);
  for (int round = 0; round < 4; ++round) {
    const auto batch =
        make_loki_test_batch({make_loki_test_container("web")}, 2, kBase + round * 1'000'000);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  }
  EXPECT_EQ(first.stored().size(), 4u);
  EXPECT_EQ(second.stored().size(), 4u);
  // A node that went away: its request fails, the retry goes to the next one.
  ElasticsearchSinkOptions with_dead = options_for(first);
  with_dead.endpoints.insert(with_dead.endpoints.begin(), "http://127.0.0.1:1");
  ElasticsearchSink failing_over("es2", with_dead, registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("db")}, 2);
  EXPECT_EQ(write(failing_over, batch).kind, Kind::kRetry);
  EXPECT_EQ(write(failing_over, batch).kind, Kind::kDelivered);
  EXPECT_EQ(first.stored().size(), 6u);
}

// The issue's bad input: a certificate that does not name the host connected to is a TLS
// failure, counted and retried (never delivered); the right name delivers.
TEST_F(ElasticsearchSinkTest, ACertificateForAnotherHostIsRefusedAndRetried) {
  testing::TestCertificates certs;  // the server's names 127.0.0.1 only
  testing::LokiTestReceiver::Options tls;
  tls.cert_file = certs.file("server-cert.pem");
  tls.key_file = certs.file("server-key.pem");
  ElasticsearchTestReceiver receiver(tls);
  ElasticsearchSinkOptions options = options_for(receiver);
  ASSERT_THAT(options.endpoints[0], ::testing::StartsWith("https://127.0.0.1:"));
  options.tls.ca_file = certs.file("ca.pem");
  ElasticsearchSinkOptions wrong_name = options;
  wrong_name.endpoints = {"https://localhost:" + std::to_string(receiver.port())};
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 2);
  {
    ElasticsearchSink sink("es", wrong_name, registry_);
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, Kind::kRetry);
    EXPECT_THAT(metrics(), HasSubstr("request_errors_total{sink=\"es\",kind=\"tls\"} 1"));
  }
  EXPECT_TRUE(receiver.stored().empty());
  ElasticsearchSink sink("es2", options, registry_);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(receiver.stored().size(), 2u);
}

}  // namespace
}  // namespace lc
