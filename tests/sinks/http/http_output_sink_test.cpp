// The HTTP sink against a real HTTP server on 127.0.0.1 (the test receiver, decoding nothing:
// the test reads each body itself): bodies and their encodings, URL templates, and how each
// kind of answer or failure is handled, including a receiver failing every third request.
#include "sinks/http/http_output_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>
#include <zstd.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <nlohmann/json.hpp>
#include <sstream>

#include "docker/docker_test_support.hpp"
#include "sinks/loki/loki_test_receiver.hpp"
#include "sinks/loki/loki_test_records.hpp"
#include "support/test_gunzip.hpp"

namespace lc {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::LokiTestReceiver;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::ReceivedRequest;
using testing::ReceiverReply;
using Kind = SinkWriteOutcome::Kind;

std::string unzstd(const std::string& data) {
  const unsigned long long size = ZSTD_getFrameContentSize(data.data(), data.size());
  EXPECT_NE(size, ZSTD_CONTENTSIZE_ERROR);
  std::string out(size, '\0');
  EXPECT_EQ(ZSTD_decompress(out.data(), out.size(), data.data(), data.size()), size);
  return out;
}

// The body as sent, decompressed after its Content-Encoding.
std::string plain_body(const ReceivedRequest& request) {
  const std::string encoding = request.header("content-encoding");
  if (encoding == "gzip") return testing::test_gunzip(request.body);
  if (encoding == "zstd") return unzstd(request.body);
  return request.body;
}

// The messages of an NDJSON (or json_array) body.
std::vector<std::string> http_messages_of(const ReceivedRequest& request) {
  const std::string body = plain_body(request);
  std::vector<std::string> messages;
  if (body.starts_with('[')) {
    for (const auto& record : nlohmann::json::parse(body)) messages.push_back(record["message"]);
    return messages;
  }
  std::istringstream lines(body);
  for (std::string line; std::getline(lines, line);) {
    messages.push_back(nlohmann::json::parse(line)["message"]);
  }
  return messages;
}

std::vector<std::string> http_messages_of(const std::vector<LogRecord>& batch) {
  std::vector<std::string> messages;
  for (const LogRecord& record : batch) messages.push_back(record.message);
  return messages;
}

// The receiver as an HTTP endpoint: it takes any body; tests read them.
LokiTestReceiver::Options endpoint_options() {
  LokiTestReceiver::Options options;
  options.path = "/ingest";
  options.decode = [](std::string_view, std::string_view, std::string_view, ReceivedRequest&) {};
  return options;
}

class HttpOutputSinkTest : public ::testing::Test {
 protected:
  HttpOutputOptions options_for(const LokiTestReceiver& receiver) {
    HttpOutputOptions options;
    options.url = receiver.url();
    options.connect_timeout = std::chrono::seconds(2);
    options.request_timeout = std::chrono::seconds(2);
    return options;
  }
  SinkWriteOutcome write(HttpOutputSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(20));
  }
  // Messages the endpoint took (2xx), in arrival order.
  static std::vector<std::string> accepted(const LokiTestReceiver& receiver) {
    std::vector<std::string> messages;
    for (const ReceivedRequest& request : receiver.requests()) {
      if (request.status / 100 != 2) continue;
      for (std::string& message : http_messages_of(request)) messages.push_back(std::move(message));
    }
    return messages;
  }

  boost::asio::io_context io_;
  MetricsRegistry registry_;
};

TEST_F(HttpOutputSinkTest, PostsNdjsonWithTheHeadersAndCredentials) {
  LokiTestReceiver receiver(endpoint_options());
  HttpOutputOptions options = options_for(receiver);
  options.headers = {{"X-Api-Key", "k1"}};
  options.username = "agent";
  options.password = "pw";
  HttpOutputSink sink("http", options, registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto requests = receiver.requests();  // a copy: requests() returns one
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/ingest");
  EXPECT_EQ(request.header("content-type"), "application/x-ndjson");
  EXPECT_EQ(request.header("x-api-key"), "k1");
  EXPECT_EQ(request.header("authorization"), "Basic YWdlbnQ6cHc=");
  EXPECT_EQ(http_messages_of(request), http_messages_of(batch));
  EXPECT_THAT(registry_.render(),
              HasSubstr("log_capturer_sink_records_written_total{sink=\"http\"} 4"));
}

TEST_F(HttpOutputSinkTest, JsonArrayGzipTextZstdAndPut) {
  LokiTestReceiver receiver(endpoint_options());
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  HttpOutputOptions options = options_for(receiver);
  options.encoding = HttpOutputOptions::Encoding::kJsonArray;
  options.compression = HttpOutputOptions::Compression::kGzip;
  {
    HttpOutputSink sink("http", options, registry_);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  }
  options.encoding = HttpOutputOptions::Encoding::kText;
  options.compression = HttpOutputOptions::Compression::kZstd;
  options.method = HttpOutputOptions::Method::kPut;
  {
    HttpOutputSink sink("http", options, registry_);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  }
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].header("content-type"), "application/json");
  EXPECT_EQ(requests[0].header("content-encoding"), "gzip");
  EXPECT_EQ(http_messages_of(requests[0]), http_messages_of(batch));
  EXPECT_EQ(requests[1].method, "PUT");
  EXPECT_EQ(requests[1].header("content-type"), "text/plain");
  EXPECT_EQ(requests[1].header("content-encoding"), "zstd");
  EXPECT_EQ(plain_body(requests[1]), "web line 0\nweb line 1\nweb line 2\n");
}

TEST_F(HttpOutputSinkTest, AUrlTemplateSendsARequestPerTarget) {
  LokiTestReceiver receiver(endpoint_options());
  HttpOutputOptions options = options_for(receiver);
  options.url = "http://127.0.0.1:" + std::to_string(receiver.port()) +
                "/logs/{{ .container_name }}?team={{ .labels.team }}";
  HttpOutputSink sink("http", options, registry_);
  const auto batch =
      make_loki_test_batch({make_loki_test_container("web", "", "", {{"team", "a b/c&d"}}),
                            make_loki_test_container("db")},
                           2);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target, "/logs/web?team=a%20b%2Fc%26d");
  EXPECT_THAT(http_messages_of(requests[0]), ElementsAre("web line 0", "web line 1"));
  EXPECT_EQ(requests[1].target, "/logs/db?team=");
  EXPECT_THAT(http_messages_of(requests[1]), ElementsAre("db line 0", "db line 1"));
}

TEST_F(HttpOutputSinkTest, RefusedRecordsAreIsolatedBySplittingThenDeadLettered) {
  for (const unsigned status : {400u, 422u}) {
    LokiTestReceiver receiver(endpoint_options());
    receiver.set_policy([status](const ReceivedRequest& request) {
      return request.body.find("BAD") != std::string::npos
                 ? ReceiverReply::answer(status, "invalid record")
                 : ReceiverReply::answer(200);
    });
    HttpOutputSink sink("http", options_for(receiver), registry_);
    auto batch = make_loki_test_batch({make_loki_test_container("web")}, 6);
    batch[4].message = "BAD";
    const SinkWriteOutcome outcome = write(sink, batch);
    ASSERT_EQ(outcome.kind, Kind::kRejected) << status << outcome.reason;
    EXPECT_THAT(outcome.refused_records, ElementsAre(4u)) << status;
    EXPECT_THAT(outcome.reason, HasSubstr("invalid record")) << status;
    std::vector<std::string> expected = http_messages_of(batch);
    expected.erase(expected.begin() + 4);
    EXPECT_EQ(accepted(receiver), expected) << status;
  }
}

TEST_F(HttpOutputSinkTest, AWrongUrlOrMethodHoldsAtOnceAndAuthHolds) {
  LokiTestReceiver receiver(endpoint_options());
  for (const unsigned status : {404u, 405u, 401u, 403u}) {
    receiver.set_policy([status](const ReceivedRequest&) { return ReceiverReply::answer(status); });
    HttpOutputSink sink("http", options_for(receiver), registry_);
    const SinkWriteOutcome outcome =
        write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
    EXPECT_EQ(outcome.kind, Kind::kHold) << status;
    EXPECT_EQ(outcome.hold_cause,
              status < 404 ? SinkHoldCause::kAuth : SinkHoldCause::kMisconfiguration)
        << status;
  }
}

TEST_F(HttpOutputSinkTest, WithATemplatedUrlOneTargets404IsRetriedNotAHold) {
  LokiTestReceiver receiver(endpoint_options());
  receiver.set_policy([](const ReceivedRequest&) { return ReceiverReply::answer(404); });
  HttpOutputOptions options = options_for(receiver);
  options.url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/c/{{ .container_name }}";
  HttpOutputSink sink("http", options, registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 1));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_TRUE(outcome.not_the_records);
}

// The receiver: every third request fails, each time in a different way. The batches
// are retried as the pipeline would; every record arrives exactly once, in order.
TEST_F(HttpOutputSinkTest, AnEndpointFailingEveryThirdRequestLosesAndRepeatsNothing) {
  LokiTestReceiver receiver(endpoint_options());
  std::atomic<int> requests{0};
  receiver.set_policy([&](const ReceivedRequest&) {
    const int number = ++requests;
    if (number % 3 != 0) return ReceiverReply::answer(200);
    switch ((number / 3) % 5) {
      case 0: {
        ReceiverReply reply = ReceiverReply::answer(503, "busy");
        reply.headers = {{"Retry-After", "1"}};
        return reply;
      }
      case 1:
        return ReceiverReply::reset();
      case 2:
        return ReceiverReply::garbage();
      case 3:
        return ReceiverReply::answer(429, "slow down");
      default:
        return ReceiverReply::answer(502, "<html>bad gateway</html>");
    }
  });
  HttpOutputSink sink("http", options_for(receiver), registry_);
  std::vector<std::string> sent;
  int retries = 0;
  for (int round = 0; round < 12; ++round) {
    const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 5,
                                            testing::kLokiTestBaseTime + round * 1'000'000);
    std::vector<LogRecord> numbered = batch;
    for (std::size_t i = 0; i < numbered.size(); ++i) {
      numbered[i].message = "round " + std::to_string(round) + " line " + std::to_string(i);
      sent.push_back(numbered[i].message);
    }
    SinkWriteOutcome outcome = write(sink, numbered);
    while (outcome.kind == Kind::kRetry) {
      ++retries;
      outcome = write(sink, numbered);
    }
    ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  }
  EXPECT_GE(retries,
            2);  // 503, 429, 502 (a reset or garbage on a reused connection is re-sent at once)
  EXPECT_EQ(accepted(receiver), sent);
}

TEST(HttpOutputUrl, OnlyThePathAndQueryMayBeTemplates) {
  HttpUrl base;
  RecordTemplate target;
  EXPECT_FALSE(parse_http_output_url("https://h:8443/a/{{ .container_name }}?x=1", base, target));
  EXPECT_TRUE(base.https);
  EXPECT_EQ(base.port, 8443);
  EXPECT_EQ(target.source(), "/a/{{ .container_name }}?x=1");
  EXPECT_FALSE(parse_http_output_url("http://h", base, target));
  EXPECT_EQ(target.source(), "/");
  EXPECT_FALSE(parse_http_output_url("http://h?x=1", base, target));
  EXPECT_EQ(target.source(), "/?x=1");
  EXPECT_THAT(parse_http_output_url("http://{{ .container_name }}/x", base, target).value_or(""),
              HasSubstr("not the host"));
  EXPECT_THAT(parse_http_output_url("http://h/{{ .message }}", base, target).value_or(""),
              HasSubstr("cannot read .message"));
  EXPECT_TRUE(parse_http_output_url("ftp://h/x", base, target));
  EXPECT_EQ(percent_encode_target("/a b/é?q=\"x\""), "/a%20b/%C3%A9?q=%22x%22");
  // A value stays within its segment or parameter.
  std::string value;
  percent_encode_value("x/y%z&w=1 ../é", value);
  EXPECT_EQ(value, "x%2Fy%25z%26w%3D1%20..%2F%C3%A9");
}

}  // namespace
}  // namespace lc
