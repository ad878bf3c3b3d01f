// The OTLP sink against a real HTTP server on 127.0.0.1 (the test receiver) that decodes the
// wire format independently (otlp_test_decoder): delivery, headers, and how each answer of the
// OTLP/HTTP specification is handled.
#include "sinks/otlp/otlp_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include "docker/docker_test_support.hpp"
#include "sinks/common/test_certificates.hpp"
#include "sinks/loki/loki_test_receiver.hpp"
#include "sinks/loki/loki_test_records.hpp"
#include "sinks/otlp/logs_service.pb.h"
#include "sinks/otlp/otlp_test_decoder.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using testing::DecodedExport;
using ::testing::HasSubstr;
using testing::LokiTestReceiver;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::ReceivedRequest;
using testing::ReceiverReply;
using Kind = SinkWriteOutcome::Kind;

// The receiver as a collector's OTLP/HTTP logs endpoint: the default policy answers 400 to a
// body that does not decode.
LokiTestReceiver::Options collector_options() {
  LokiTestReceiver::Options options;
  options.path = "";  // the sink adds /v1/logs to the endpoint
  options.decode = [](std::string_view body, std::string_view content_type,
                      std::string_view content_encoding, ReceivedRequest& request) {
    DecodedExport ignored;
    request.decode_error =
        testing::decode_otlp_export(body, content_type, content_encoding, ignored);
  };
  return options;
}

DecodedExport decode(const ReceivedRequest& request) {
  DecodedExport decoded;
  EXPECT_EQ(testing::decode_otlp_export(request.body, request.header("content-type"),
                                        request.header("content-encoding"), decoded),
            "");
  return decoded;
}

// The bodies of the records the collector took (2xx), in arrival order.
std::vector<std::string> accepted_bodies(const LokiTestReceiver& receiver) {
  std::vector<std::string> bodies;
  for (const ReceivedRequest& request : receiver.requests()) {
    if (request.status / 100 != 2) continue;
    for (const auto& resource : decode(request).resources) {
      for (const auto& record : resource.records) bodies.push_back(record.body);
    }
  }
  return bodies;
}

std::vector<std::string> quoted_messages(const std::vector<LogRecord>& batch) {
  std::vector<std::string> messages;
  for (const LogRecord& record : batch) messages.push_back("\"" + record.message + "\"");
  return messages;
}

// How many of the request's records carry `marker` in their body.
bool carries(const ReceivedRequest& request, const std::string& marker) {
  DecodedExport decoded;
  if (!testing::decode_otlp_export(request.body, request.header("content-type"),
                                   request.header("content-encoding"), decoded)
           .empty()) {
    return false;
  }
  for (const auto& resource : decoded.resources) {
    for (const auto& record : resource.records) {
      if (record.body.find(marker) != std::string::npos) return true;
    }
  }
  return false;
}

std::string status_body(const std::string& message) {
  otlp::Status status;
  status.set_code(3);  // INVALID_ARGUMENT
  status.set_message(message);
  return status.SerializeAsString();
}

class OtlpSinkTest : public ::testing::Test {
 protected:
  OtlpSinkOptions options_for(const LokiTestReceiver& receiver) {
    OtlpSinkOptions options;
    options.endpoint = receiver.url();
    options.hostname = "node-1";
    options.connect_timeout = std::chrono::seconds(2);
    options.request_timeout = std::chrono::seconds(2);
    return options;
  }

  SinkWriteOutcome write(OtlpSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(20));
  }

  std::uint64_t counter(const std::string& name, const std::string& extra_labels = "") {
    const std::string rendered = registry_.render();
    const std::string series = name + "{sink=\"otlp\"" + extra_labels + "} ";
    const std::size_t at = rendered.find(series);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no series " << series;
      return 0;
    }
    return std::stoull(rendered.substr(at + series.size()));
  }
  std::uint64_t errors(const std::string& kind) {
    return counter("log_capturer_otlp_request_errors_total", ",kind=\"" + kind + "\"");
  }

  asio::io_context io_;
  MetricsRegistry registry_;
};

TEST_F(OtlpSinkTest, ExportsToV1LogsWithTheHeadersAndCountsWhatWasTaken) {
  LokiTestReceiver receiver(collector_options());
  OtlpSinkOptions options = options_for(receiver);
  options.headers = {{"X-Scope-OrgID", "team-a"}};
  options.bearer_token = "s3cret";
  OtlpSink sink("otlp", options, registry_);
  const auto batch = make_loki_test_batch(
      {make_loki_test_container("web", "shop", "web"), make_loki_test_container("db")}, 5);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  const ReceivedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/v1/logs");
  EXPECT_EQ(request.header("content-type"), "application/x-protobuf");
  EXPECT_EQ(request.header("content-encoding"), "gzip");
  EXPECT_EQ(request.header("authorization"), "Bearer s3cret");
  EXPECT_EQ(request.header("x-scope-orgid"), "team-a");
  EXPECT_THAT(request.header("user-agent"), ::testing::StartsWith("log-capturer/"));
  const DecodedExport decoded = decode(request);
  ASSERT_EQ(decoded.resources.size(), 2u);
  EXPECT_EQ(testing::attribute(decoded.resources[0].resource, "service.name"), "\"web\"");
  EXPECT_EQ(decoded.resources[0].records.size(), 5u);
  EXPECT_EQ(receiver.connections_accepted(), 1u);  // keep-alive

  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 20u);
  EXPECT_EQ(counter("log_capturer_sink_bytes_written_total"),
            requests[0].body_bytes + requests[1].body_bytes);
  EXPECT_EQ(counter("log_capturer_sink_batches_total"), 2u);
  EXPECT_EQ(counter("log_capturer_otlp_requests_total"), 2u);
}

TEST_F(OtlpSinkTest, JsonEncodingIsSentAsApplicationJson) {
  LokiTestReceiver receiver(collector_options());
  OtlpSinkOptions options = options_for(receiver);
  options.encoding = OtlpSinkOptions::Encoding::kJson;
  options.compression = OtlpSinkOptions::Compression::kNone;
  OtlpSink sink("otlp", options, registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_EQ(receiver.requests()[0].header("content-type"), "application/json");
  EXPECT_EQ(receiver.requests()[0].header("content-encoding"), "");
  EXPECT_EQ(accepted_bodies(receiver), quoted_messages(batch));
}

TEST_F(OtlpSinkTest, PartialSuccessIsDeliveredAndCounted) {
  LokiTestReceiver receiver(collector_options());
  otlp::ExportLogsServiceResponse answer;
  answer.mutable_partial_success()->set_rejected_log_records(2);
  answer.mutable_partial_success()->set_error_message("2 records too old");
  receiver.set_policy([body = answer.SerializeAsString()](const ReceivedRequest&) {
    ReceiverReply reply = ReceiverReply::answer(200, body);
    reply.content_type = "application/x-protobuf";
    return reply;
  });
  OtlpSink sink("otlp", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  EXPECT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(counter("log_capturer_otlp_records_rejected_by_collector_total"), 2u);
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 4u);

  // The same in OTLP/JSON (rejectedLogRecords as a string, as int64s are).
  receiver.set_policy([](const ReceivedRequest&) {
    ReceiverReply reply = ReceiverReply::answer(
        200, R"({"partialSuccess":{"rejectedLogRecords":"3","errorMessage":"x"}})");
    reply.content_type = "application/json";
    return reply;
  });
  EXPECT_EQ(write(sink, batch).kind, Kind::kDelivered);
  EXPECT_EQ(counter("log_capturer_otlp_records_rejected_by_collector_total"), 5u);
}

TEST_F(OtlpSinkTest, ThrottlingIsRetriedNoSoonerThanRetryAfter) {
  LokiTestReceiver receiver(collector_options());
  for (const unsigned status : {429u, 502u, 503u, 504u}) {
    receiver.set_policy([status](const ReceivedRequest&) {
      ReceiverReply reply = ReceiverReply::answer(status, "busy");
      reply.headers = {{"Retry-After", "7"}};
      return reply;
    });
    OtlpSink sink("otlp", options_for(receiver), registry_);
    const SinkWriteOutcome outcome =
        write(sink, make_loki_test_batch({make_loki_test_container("web")}, 2));
    EXPECT_EQ(outcome.kind, Kind::kRetry) << status;
    EXPECT_FALSE(outcome.not_the_records) << status;
    EXPECT_EQ(outcome.retry_after, std::chrono::seconds(7)) << status;
    EXPECT_THAT(outcome.reason, HasSubstr("HTTP " + std::to_string(status))) << status;
    EXPECT_EQ(errors(status == 429 ? "http_429" : "http_5xx"), 1u) << status;
  }
}

TEST_F(OtlpSinkTest, ABadRequestIsSplitUntilTheRefusedRecordsStandAlone) {
  LokiTestReceiver receiver(collector_options());
  receiver.set_policy([](const ReceivedRequest& request) {
    if (!carries(request, "BAD")) return ReceiverReply::answer(200);
    ReceiverReply reply = ReceiverReply::answer(400, status_body("invalid log record"));
    reply.content_type = "application/x-protobuf";
    return reply;
  });
  OtlpSink sink("otlp", options_for(receiver), registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 8);
  batch[2].message = "BAD one";
  batch[7].message = "BAD two";
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ::testing::ElementsAre(2u, 7u));
  EXPECT_THAT(outcome.reason, HasSubstr("HTTP 400 Bad Request: invalid log record"));
  EXPECT_THAT(outcome.reason, HasSubstr("accepted the other 6"));
  // Every good record went in exactly once.
  std::vector<std::string> expected = quoted_messages(batch);
  expected.erase(expected.begin() + 7);
  expected.erase(expected.begin() + 2);
  EXPECT_EQ(accepted_bodies(receiver), expected);
  EXPECT_EQ(counter("log_capturer_otlp_records_rejected_total", ",reason=\"bad_request\""), 2u);
}

TEST_F(OtlpSinkTest, ARetryAfterASplitSendsOnlyWhatIsNeitherDeliveredNorRefused) {
  LokiTestReceiver receiver(collector_options());
  std::atomic<int> unavailable_left{1};
  receiver.set_policy([&](const ReceivedRequest& request) {
    if (carries(request, "BAD")) {
      ReceiverReply reply = ReceiverReply::answer(400, status_body("invalid log record"));
      reply.content_type = "application/x-protobuf";
      return reply;
    }
    // The second half of the batch (it carries line 7) is refused once, transiently.
    if (carries(request, "line 7\"") && unavailable_left.fetch_sub(1) > 0) {
      return ReceiverReply::answer(503, "busy");
    }
    return ReceiverReply::answer(200);
  });
  OtlpSink sink("otlp", options_for(receiver), registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 8);
  batch[1].message = "BAD one";
  SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRetry) << outcome.reason;  // the second half got a 503
  // The first half's good records are at the receiver: should the retries run out, they are no
  // dead letters.
  EXPECT_THAT(outcome.delivered_records, ::testing::ElementsAre(0u, 2u, 3u));
  outcome = write(sink, batch);  // the pipeline's retry
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ::testing::ElementsAre(1u));
  // The first half's good records went in once, not again with the retry.
  std::vector<std::string> expected = quoted_messages(batch);
  expected.erase(expected.begin() + 1);
  EXPECT_EQ(accepted_bodies(receiver), expected);
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 7u);
  EXPECT_EQ(counter("log_capturer_otlp_records_rejected_total", ",reason=\"bad_request\""), 1u);
  // The next batch starts afresh.
  EXPECT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("db")}, 2)).kind,
            Kind::kDelivered);
}

TEST_F(OtlpSinkTest, A400WithoutTheCollectorsStatusDeadLettersNothing) {
  LokiTestReceiver receiver(collector_options());
  receiver.set_policy([](const ReceivedRequest&) {
    return ReceiverReply::answer(400, "<html>400 Bad Request (proxy)</html>");
  });
  OtlpSink sink("otlp", options_for(receiver), registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 4));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_TRUE(outcome.not_the_records);
  EXPECT_EQ(receiver.requests().size(), 1u);  // not split
  EXPECT_EQ(errors("http_400"), 1u);
}

TEST_F(OtlpSinkTest, ARecordTooLargeAloneIsRejected) {
  LokiTestReceiver receiver(collector_options());
  receiver.set_policy([](const ReceivedRequest& request) {
    return ReceiverReply::answer(request.body_bytes > 1500 ? 413 : 200);
  });
  OtlpSinkOptions options = options_for(receiver);
  options.compression = OtlpSinkOptions::Compression::kNone;
  OtlpSink sink("otlp", options, registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  batch[1].message = std::string(2000, 'x');
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ::testing::ElementsAre(1u));
  EXPECT_THAT(outcome.reason, HasSubstr("too large (HTTP 413)"));
  EXPECT_EQ(counter("log_capturer_otlp_records_rejected_total", ",reason=\"too_large\""), 1u);
}

TEST_F(OtlpSinkTest, AuthorizationAndAWrongPathHoldTheSinkAtOnce) {
  LokiTestReceiver receiver(collector_options());
  const struct {
    unsigned status;
    SinkHoldCause cause;
    const char* hint;
  } cases[] = {{401, SinkHoldCause::kAuth, "credentials"},
               {403, SinkHoldCause::kAuth, "credentials"},
               {404, SinkHoldCause::kMisconfiguration, "check the endpoint"}};
  for (const auto& expected : cases) {
    receiver.set_policy(
        [&](const ReceivedRequest&) { return ReceiverReply::answer(expected.status, "nope"); });
    OtlpSink sink("otlp", options_for(receiver), registry_);
    const SinkWriteOutcome outcome =
        write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
    EXPECT_EQ(outcome.kind, Kind::kHold) << expected.status;
    EXPECT_EQ(outcome.hold_cause, expected.cause) << expected.status;
    EXPECT_TRUE(outcome.not_the_records) << expected.status;
    EXPECT_THAT(outcome.reason, HasSubstr(expected.hint)) << expected.status;
  }
  // A delivery ends the hold.
  receiver.set_policy([](const ReceivedRequest&) { return ReceiverReply::answer(404); });
  OtlpSink sink("otlp", options_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 1);
  EXPECT_EQ(write(sink, batch).kind, Kind::kHold);
  receiver.set_policy([](const ReceivedRequest&) { return ReceiverReply::answer(200); });
  EXPECT_EQ(write(sink, batch).kind, Kind::kDelivered);
}

TEST_F(OtlpSinkTest, AnUnreachableCollectorIsRetried) {
  std::uint16_t port = 0;
  {
    asio::ip::tcp::acceptor probe(io_, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  OtlpSinkOptions options;
  options.endpoint = "http://127.0.0.1:" + std::to_string(port);
  options.connect_timeout = std::chrono::seconds(2);
  OtlpSink sink("otlp", options, registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_THAT(outcome.reason, HasSubstr("connect to the OTLP collector at http://127.0.0.1:"));
  EXPECT_EQ(errors("connect"), 1u);
}

TEST_F(OtlpSinkTest, ExportsOverTlsWithAClientCertificate) {
  testing::TestCertificates certs;
  LokiTestReceiver::Options server = collector_options();
  server.cert_file = certs.file("server-cert.pem");
  server.key_file = certs.file("server-key.pem");
  server.client_ca_file = certs.file("ca.pem");
  LokiTestReceiver receiver(server);
  OtlpSinkOptions options = options_for(receiver);
  ASSERT_THAT(options.endpoint, ::testing::StartsWith("https://"));
  options.tls.ca_file = certs.file("ca.pem");
  options.tls.cert_file = certs.file("client-cert.pem");
  options.tls.key_file = certs.file("client-key.pem");
  OtlpSink sink("otlp", options, registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("secure")}, 3);
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(accepted_bodies(receiver), quoted_messages(batch));
  EXPECT_EQ(receiver.failed_handshakes(), 0u);
}

}  // namespace
}  // namespace lc
