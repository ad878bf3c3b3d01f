// The Splunk HEC sink against a collector stand-in: events and raw lines with their metadata,
// HEC's status codes, and indexer acknowledgements arriving late, never, or for some batches.
#include "sinks/splunk_hec/splunk_hec_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "docker/docker_test_support.hpp"
#include "sinks/common/rendered_metric.hpp"
#include "sinks/loki/loki_test_records.hpp"
#include "sinks/splunk_hec/hec_test_receiver.hpp"
#include "sinks/splunk_hec/splunk_hec_response.hpp"
#include "support/test_gunzip.hpp"

namespace lc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::HecEvent;
using testing::HecTestReceiver;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::ReceivedRequest;
using testing::ReceiverReply;
using Kind = SinkWriteOutcome::Kind;

std::vector<std::string> events_of(const std::vector<HecEvent>& events) {
  std::vector<std::string> out;
  for (const HecEvent& event : events) out.push_back(event.event["event"].get<std::string>());
  return out;
}

class SplunkHecSinkTest : public ::testing::Test {
 protected:
  SplunkHecSinkOptions options_for(const HecTestReceiver& receiver, bool acknowledgements) {
    SplunkHecSinkOptions options;
    options.endpoint = receiver.endpoint();
    options.token = "t0k3n";
    options.acknowledgements = acknowledgements;
    options.ack_interval = std::chrono::milliseconds(20);
    options.ack_timeout = std::chrono::milliseconds(300);
    options.connect_timeout = std::chrono::seconds(2);
    options.request_timeout = std::chrono::seconds(2);
    return options;
  }
  SinkWriteOutcome write(SplunkHecSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(20));
  }
  std::string metrics() { return registry_.render(); }

  boost::asio::io_context io_;
  MetricsRegistry registry_;
};

TEST_F(SplunkHecSinkTest, EventsCarryTheirTimeMetadataAndIndexedFields) {
  HecTestReceiver receiver("t0k3n", false);
  SplunkHecSinkOptions options = options_for(receiver, false);
  options.sourcetype = "docker:{{ .stream }}";
  options.index = "{{ .labels.team }}";
  options.fields = {{"container", "{{ .container_name }}"}, {"missing", "{{ .labels.none }}"}};
  SplunkHecSink sink("hec", options, registry_);
  auto batch =
      make_loki_test_batch({make_loki_test_container("web", "", "", {{"team", "payments"}}),
                            make_loki_test_container("db")},
                           1);
  batch[1].event_time = 1'600'000'000'500'000'000;
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].target, "/services/collector/event");
  EXPECT_EQ(requests[0].header("authorization"), "Splunk t0k3n");
  EXPECT_EQ(requests[0].header("x-splunk-request-channel"), sink.channel());
  EXPECT_EQ(requests[0].header("content-encoding"), "gzip");
  const auto events = receiver.indexed();
  ASSERT_EQ(events.size(), 2u);
  const nlohmann::json& web = events[0].event;
  EXPECT_EQ(web["event"], "web line 0");
  EXPECT_EQ(web["time"].get<double>(), 1700000000.123456789);
  EXPECT_FALSE(web["host"].get<std::string>().empty());
  EXPECT_EQ(web["source"], "web");
  EXPECT_EQ(web["sourcetype"], "docker:stdout");
  EXPECT_EQ(web["index"], "payments");
  EXPECT_EQ(web["fields"], nlohmann::json({{"container", "web"}}));
  const nlohmann::json& db = events[1].event;
  EXPECT_FALSE(db.contains("index"));  // rendered empty: the token's default index
  EXPECT_EQ(db["time"].get<double>(), 1600000000.5);
  EXPECT_EQ(sink.channel().size(), 36u);
}

TEST_F(SplunkHecSinkTest, RawLinesGoWithTheirMetadataInTheQuery) {
  HecTestReceiver receiver("t0k3n", false);
  SplunkHecSinkOptions options = options_for(receiver, false);
  options.api = SplunkHecSinkOptions::Api::kRaw;
  options.sourcetype = "app/{{ .container_name }}";
  options.compression = SplunkHecSinkOptions::Compression::kNone;
  SplunkHecSink sink("hec", options, registry_);
  const auto batch =
      make_loki_test_batch({make_loki_test_container("web"), make_loki_test_container("db")}, 2);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);  // a request per metadata
  EXPECT_THAT(requests[0].target, HasSubstr("/services/collector/raw?channel=" + sink.channel()));
  EXPECT_THAT(requests[0].target, HasSubstr("&sourcetype=app%2Fweb"));
  const auto events = receiver.indexed();
  EXPECT_THAT(events_of(events), ElementsAre("web line 0", "web line 1", "db line 0", "db line 1"));
  EXPECT_EQ(events[0].event["sourcetype"], "app/web");
  EXPECT_EQ(events[2].event["source"], "db");
}

TEST_F(SplunkHecSinkTest, ABatchIsDeliveredOnlyOnceSplunkAcknowledgesIt) {
  HecTestReceiver receiver("t0k3n", true);
  receiver.set_ack_policy([](std::uint64_t, unsigned query) { return query >= 3; });
  SplunkHecSink sink("hec", options_for(receiver, true), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(receiver.ack_queries(), 4u);  // the check before the first batch, then 3 polls
  EXPECT_EQ(events_of(receiver.indexed()).size(), 3u);
  EXPECT_THAT(metrics(), HasSubstr("log_capturer_splunk_hec_acks_confirmed_total{sink=\"hec\"} 1"));
  EXPECT_THAT(metrics(), HasSubstr("log_capturer_sink_records_written_total{sink=\"hec\"} 3"));
}

// The issue's cases: acknowledgements that never come, or come for some batches only.
TEST_F(SplunkHecSinkTest, AnUnacknowledgedBatchIsSentAgainAfterTheTimeout) {
  HecTestReceiver receiver("t0k3n", true);
  // Batch 1's first request (ack 0) is never acknowledged; every later one is.
  receiver.set_ack_policy([](std::uint64_t ack_id, unsigned) { return ack_id != 0; });
  SplunkHecSink sink("hec", options_for(receiver, true), registry_);
  const auto first = make_loki_test_batch({make_loki_test_container("web")}, 2);
  const SinkWriteOutcome outcome = write(sink, first);
  ASSERT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_TRUE(outcome.not_the_records);
  EXPECT_THAT(outcome.reason, HasSubstr("did not acknowledge them as indexed within 300 ms"));
  EXPECT_TRUE(receiver.indexed().empty());
  ASSERT_EQ(write(sink, first).kind, Kind::kDelivered);  // ack 1
  const auto second = make_loki_test_batch({make_loki_test_container("db")}, 2);
  ASSERT_EQ(write(sink, second).kind, Kind::kDelivered);  // ack 2
  EXPECT_THAT(events_of(receiver.indexed()),
              ElementsAre("web line 0", "web line 1", "db line 0", "db line 1"));
  EXPECT_THAT(metrics(), HasSubstr("log_capturer_splunk_hec_ack_timeouts_total{sink=\"hec\"} 1"));
}

TEST_F(SplunkHecSinkTest, AnAckAnswerWithoutTheIdConfirmsNothing) {
  HecTestReceiver receiver("t0k3n", true);
  receiver.set_ack_answer([](const ReceivedRequest&) -> std::optional<ReceiverReply> {
    return ReceiverReply::answer(200, R"({"acks":{}})");
  });
  SplunkHecSink sink("hec", options_for(receiver, true), registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_GE(testing::rendered_metric(
                metrics(), "log_capturer_splunk_hec_ack_query_errors_total{sink=\"hec\"}"),
            5);
  EXPECT_EQ(
      testing::rendered_metric(metrics(), "log_capturer_sink_records_written_total{sink=\"hec\"}"),
      0);
}

// Polls that fail (a 503, a reset, garbage) confirm nothing but do not end the wait.
TEST_F(SplunkHecSinkTest, FailedAckQueriesAreCountedAndTheWaitGoesOn) {
  HecTestReceiver receiver("t0k3n", true);
  int queries = 0;
  receiver.set_ack_answer([&](const ReceivedRequest& request) -> std::optional<ReceiverReply> {
    if (request.body == R"({"acks":[]})") return std::nullopt;  // the check before the first batch
    switch (queries++) {
      case 0:
        return ReceiverReply::answer(503, R"({"text":"Server is busy","code":9})");
      case 1:
        return ReceiverReply::reset();
      case 2:
        return ReceiverReply::answer(200, "not json");
      default:
        return std::nullopt;
    }
  });
  SplunkHecSink sink("hec", options_for(receiver, true), registry_);
  ASSERT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("web")}, 2)).kind,
            Kind::kDelivered);
  EXPECT_EQ(receiver.indexed().size(), 2u);
  EXPECT_EQ(testing::rendered_metric(
                metrics(), "log_capturer_splunk_hec_ack_query_errors_total{sink=\"hec\"}"),
            3);
}

// A token without acknowledgement while the sink expects it: found out before any batch is
// sent, so that no batch is indexed again and again by the retries of a hold.
TEST_F(SplunkHecSinkTest, AcknowledgementsOffOnTheTokenHoldBeforeSendingAnything) {
  HecTestReceiver receiver("t0k3n", false);
  SplunkHecSink sink("hec", options_for(receiver, true), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 2);
  for (int attempt = 0; attempt < 2; ++attempt) {
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, Kind::kHold);
    EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kMisconfiguration);
    EXPECT_THAT(outcome.reason, HasSubstr("off on the token"));
  }
  EXPECT_TRUE(receiver.indexed().empty());
  for (const ReceivedRequest& request : receiver.requests()) {
    EXPECT_EQ(request.target.substr(0, request.target.find('?')), "/services/collector/ack");
  }
}

// A stopping pipeline does not wait out ack_timeout: the write gives up by the stop deadline.
TEST_F(SplunkHecSinkTest, StoppingEndsTheWaitForAnAcknowledgement) {
  HecTestReceiver receiver("t0k3n", true);
  receiver.set_ack_policy([](std::uint64_t, unsigned) { return false; });
  SplunkHecSinkOptions options = options_for(receiver, true);
  options.ack_timeout = std::chrono::seconds(30);
  SplunkHecSink sink("hec", options, registry_);
  boost::asio::steady_timer stop(io_, std::chrono::milliseconds(200));
  stop.async_wait([&](boost::system::error_code) {
    sink.stop_waiting_by(std::chrono::steady_clock::now() + std::chrono::milliseconds(100));
  });
  const auto started = std::chrono::steady_clock::now();
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_THAT(outcome.reason, HasSubstr("stopping before Splunk acknowledged"));
}

// An index from the records (a label) that Splunk does not know refuses those records only.
TEST_F(SplunkHecSinkTest, ATemplatedIncorrectIndexDeadLettersOnlyItsRecords) {
  HecTestReceiver receiver("t0k3n", false);
  receiver.set_request_policy([](const ReceivedRequest& request) -> std::optional<ReceiverReply> {
    if (testing::test_gunzip(request.body).find(R"("index":"nope")") == std::string::npos) {
      return std::nullopt;
    }
    return ReceiverReply::answer(400, R"({"text":"Incorrect index","code":7})");
  });
  SplunkHecSinkOptions options = options_for(receiver, false);
  options.index = "{{ .labels.team }}";
  SplunkHecSink sink("hec", options, registry_);
  const auto batch =
      make_loki_test_batch({make_loki_test_container("web", "", "", {{"team", "main"}}),
                            make_loki_test_container("db", "", "", {{"team", "nope"}})},
                           2);
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ElementsAre(1u, 3u));
  EXPECT_THAT(events_of(receiver.indexed()), ElementsAre("web line 0", "web line 1"));
}

TEST_F(SplunkHecSinkTest, ABlankLineGoesAsItsRecordAndTimesBefore1970AreValid) {
  HecTestReceiver receiver("t0k3n", false);
  SplunkHecSink sink("hec", options_for(receiver, false), registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 2);
  batch[0].message.clear();
  batch[1].time = -1'500'000'000;  // 1969-12-31T23:59:58.5Z
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto events = receiver.indexed();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].event["event"]["message"], "");
  EXPECT_FALSE(events[0].event["event"].contains("position"));
  EXPECT_EQ(events[1].event["time"].get<double>(), -1.5);
}

TEST_F(SplunkHecSinkTest, HecStatusCodesHoldRetryOrIsolateByClass) {
  HecTestReceiver receiver("t0k3n", false);
  std::string answer;
  receiver.set_request_policy([&](const ReceivedRequest&) -> std::optional<ReceiverReply> {
    if (answer.empty()) return std::nullopt;
    const auto body = nlohmann::json::parse(answer);
    return ReceiverReply::answer(body["status"].get<unsigned>(), body["hec"].dump());
  });
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 1);
  struct Case {
    const char* answer;
    Kind kind;
    SinkHoldCause cause;
  };
  for (const Case& c : {
           Case{R"({"status":403,"hec":{"text":"Token disabled","code":1}})", Kind::kHold,
                SinkHoldCause::kAuth},
           Case{R"({"status":400,"hec":{"text":"Incorrect index","code":7}})", Kind::kHold,
                SinkHoldCause::kMisconfiguration},
           Case{R"({"status":503,"hec":{"text":"Server is busy","code":9}})", Kind::kRetry,
                SinkHoldCause::kAuth},
       }) {
    answer = c.answer;
    SplunkHecSink sink("hec", options_for(receiver, false), registry_);
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, c.kind) << c.answer;
    if (c.kind == Kind::kHold) {
      EXPECT_EQ(outcome.hold_cause, c.cause) << c.answer;
    }
    EXPECT_TRUE(receiver.indexed().empty()) << c.answer;
  }
  answer.clear();
  // A wrong token, and a token without acknowledgement while the sink expects it.
  SplunkHecSinkOptions wrong = options_for(receiver, false);
  wrong.token = "nope";
  SplunkHecSink wrong_token("hec", wrong, registry_);
  EXPECT_EQ(write(wrong_token, batch).kind, Kind::kHold);
}

TEST_F(SplunkHecSinkTest, InvalidDataFormatIsolatesTheBadRecord) {
  HecTestReceiver receiver("t0k3n", false);
  receiver.set_request_policy([](const ReceivedRequest& request) -> std::optional<ReceiverReply> {
    const std::string body = testing::test_gunzip(request.body);
    if (body.find("BAD") == std::string::npos) return std::nullopt;
    return ReceiverReply::answer(400, R"({"text":"Invalid data format","code":6})");
  });
  SplunkHecSink sink("hec", options_for(receiver, false), registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  batch[1].message = "BAD";
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ElementsAre(1u));
  EXPECT_THAT(outcome.reason, HasSubstr("HEC code 6: Invalid data format"));
  EXPECT_THAT(events_of(receiver.indexed()), ElementsAre("web line 0", "web line 2", "web line 3"));
}

// A collector (or a proxy) closing the connection after every answer: each request goes on a
// new one; nothing is lost or sent twice.
TEST_F(SplunkHecSinkTest, ACollectorClosingEveryConnectionLosesNothing) {
  HecTestReceiver receiver("t0k3n", true);
  receiver.set_close_after_every_answer(true);
  SplunkHecSink sink("hec", options_for(receiver, true), registry_);
  std::vector<std::string> sent;
  for (int round = 0; round < 3; ++round) {
    const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 2,
                                            testing::kLokiTestBaseTime + round * 1'000'000);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
    for (const LogRecord& record : batch) sent.push_back(record.message);
  }
  EXPECT_EQ(events_of(receiver.indexed()), sent);
}

TEST(SplunkHecResponse, AnswersAndAcks) {
  const HecAnswer answer = parse_hec_answer(R"({"text":"Success","code":0,"ackId":7})");
  EXPECT_EQ(answer.code, 0);
  EXPECT_EQ(answer.ack_id, 7u);
  EXPECT_FALSE(parse_hec_answer("<html>").code);
  const auto acks = parse_hec_acks(R"({"acks":{"7":true,"8":false}})");
  ASSERT_TRUE(acks);
  EXPECT_TRUE(acks->at(7));
  EXPECT_FALSE(acks->at(8));
  EXPECT_FALSE(parse_hec_acks(R"({"acks":{"x":true}})"));
  EXPECT_FALSE(parse_hec_acks(R"({"acks":[0]})"));
  EXPECT_EQ(classify_hec_answer(200, R"({"text":"Success","code":0})").answer_class,
            HttpResponseClass::kDelivered);
  EXPECT_EQ(classify_hec_answer(400, R"({"text":"Invalid data format","code":6})").answer_class,
            HttpResponseClass::kRecordsRefused);
  EXPECT_TRUE(
      classify_hec_answer(400, R"({"text":"Invalid data channel","code":11})").holds_at_once);
  // A proxy's 400 without HEC's body refuses nothing.
  EXPECT_EQ(classify_hec_answer(400, "<html>bad request</html>").answer_class,
            HttpResponseClass::kUnexpected);
  EXPECT_EQ(random_uuid()[14], '4');
  EXPECT_NE(random_uuid(), random_uuid());
}

}  // namespace
}  // namespace lc
