// The Loki sink against LokiTestReceiver, a real HTTP server on 127.0.0.1 that decodes the wire
// format: delivery, keep-alive, headers, and how each kind of answer or failure is classified.
#include "sinks/loki/loki_sink.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "config/version.hpp"
#include "docker/docker_test_support.hpp"
#include "sinks/common/test_certificates.hpp"
#include "sinks/loki/loki_test_receiver.hpp"
#include "sinks/loki/loki_test_records.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::LokiTestReceiver;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::make_loki_test_record;
using testing::ReceivedEntry;
using testing::ReceivedRequest;
using testing::ReceiverReply;
using Kind = SinkWriteOutcome::Kind;

class LokiSinkTest : public ::testing::Test {
 protected:
  LokiSinkOptions config_for(const LokiTestReceiver& receiver) {
    LokiSinkOptions config;
    config.url = receiver.url();
    config.hostname = "node-1";
    config.connect_timeout = std::chrono::seconds(2);
    config.request_timeout = std::chrono::seconds(2);
    return config;
  }

  SinkWriteOutcome write(LokiSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(20));
  }

  std::uint64_t counter(const std::string& name, const std::string& extra_labels = "") {
    const std::string rendered = registry_.render();
    const std::string series = name + "{sink=\"loki\"" + extra_labels + "} ";
    const std::size_t at = rendered.find(series);
    if (at == std::string::npos) {
      ADD_FAILURE() << "no series " << series;
      return 0;
    }
    return std::stoull(rendered.substr(at + series.size()));
  }
  std::uint64_t errors(const std::string& kind) {
    return counter("log_capturer_loki_request_errors_total", ",kind=\"" + kind + "\"");
  }
  std::uint64_t rejected(const std::string& reason) {
    return counter("log_capturer_loki_records_rejected_total", ",reason=\"" + reason + "\"");
  }
  std::uint64_t total_errors() {
    std::uint64_t sum = 0;
    for (const char* kind : {"connect", "tls", "timeout", "transport", "http_429", "http_5xx",
                             "http_auth", "http_413", "http_400", "http_4xx", "http_other"}) {
      sum += errors(kind);
    }
    return sum;
  }

  // Every received entry matches the batch record at the same place (same stream order).
  static void expect_entries_match(const std::vector<ReceivedEntry>& entries,
                                   const std::vector<LogRecord>& records) {
    ASSERT_EQ(entries.size(), records.size());
    std::multiset<std::tuple<std::string, std::int64_t, std::string>> want, got;
    for (const LogRecord& record : records) {
      want.emplace(record.container->name, record.time, record.message);
    }
    for (const ReceivedEntry& entry : entries) {
      got.emplace(entry.label_map.at("container_name"), entry.time_ns, entry.line);
    }
    EXPECT_EQ(got, want);
  }

  asio::io_context io_;
  MetricsRegistry registry_;
};

TEST_F(LokiSinkTest, DeliversEveryRecordWithItsLabelsTimestampAndLine) {
  LokiTestReceiver receiver;
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto web = make_loki_test_container("web", "shop", "web");
  const auto db = make_loki_test_container("db", "shop", "db");
  const auto batch = make_loki_test_batch({web, db, make_loki_test_container("lonely")}, 30);

  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;

  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  const ReceivedRequest& request = requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.target, "/loki/api/v1/push");
  EXPECT_EQ(request.header("content-type"), "application/x-protobuf");
  EXPECT_EQ(request.header("user-agent"), "log-capturer/" + std::string(agent_version()));
  EXPECT_EQ(request.header("x-scope-orgid"), "");
  EXPECT_EQ(request.header("authorization"), "");
  EXPECT_EQ(request.streams, 3u);
  expect_entries_match(request.entries, batch);
  for (const ReceivedEntry& entry : request.entries) {
    const auto& name = entry.label_map.at("container_name");
    const auto& container = name == "web" ? web : name == "db" ? db : batch[2].container;
    EXPECT_EQ(entry.labels, name == "lonely"
                                ? R"({container_name="lonely",host="node-1",stream="stdout"})"
                                : R"({compose_project="shop",compose_service=")" + name +
                                      R"(",container_name=")" + name +
                                      R"(",host="node-1",stream="stdout"})");
    EXPECT_EQ(entry.structured_metadata,
              (std::vector<std::pair<std::string, std::string>>{{"container_id", container->id},
                                                                {"image", container->image}}));
  }
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 90u);
  EXPECT_EQ(counter("log_capturer_sink_bytes_written_total"), request.body_bytes);
  EXPECT_EQ(counter("log_capturer_sink_batches_total"), 1u);
  EXPECT_EQ(counter("log_capturer_loki_requests_total"), 1u);
  EXPECT_EQ(counter("log_capturer_loki_requests_in_flight"), 0u);
  EXPECT_EQ(total_errors(), 0u);
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  EXPECT_NEAR(static_cast<double>(counter("log_capturer_loki_last_success_timestamp_seconds")),
              static_cast<double>(now), 5.0);
  EXPECT_THAT(registry_.render(),
              ::testing::ContainsRegex(
                  R"(log_capturer_loki_request_duration_seconds_total\{sink="loki"\} [0-9.e-]+)"));
}

TEST_F(LokiSinkTest, JsonWithGzipDelivers) {
  LokiTestReceiver receiver;
  LokiSinkOptions config = config_for(receiver);
  config.format = LokiSinkOptions::Format::kJson;
  config.gzip = true;
  LokiSink sink("loki", config, registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("a", "p", "s")}, 50);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("content-type"), "application/json");
  EXPECT_EQ(requests[0].header("content-encoding"), "gzip");
  expect_entries_match(requests[0].entries, batch);
  EXPECT_EQ(requests[0].entries[0].structured_metadata.size(), 2u);
}

TEST_F(LokiSinkTest, KeepsOneConnectionAliveAcrossBatches) {
  LokiTestReceiver receiver;
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto container = make_loki_test_container("web");
  std::vector<LogRecord> all;
  for (int i = 0; i < 5; ++i) {
    const auto batch =
        make_loki_test_batch({container}, 10, testing::kLokiTestBaseTime + i * 1'000'000);
    ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
    all.insert(all.end(), batch.begin(), batch.end());
  }
  EXPECT_EQ(receiver.connections_accepted(), 1u);
  EXPECT_EQ(counter("log_capturer_loki_connections_opened_total"), 1u);
  expect_entries_match(receiver.accepted_entries(), all);
}

TEST_F(LokiSinkTest, EmptyBatchSendsNothing) {
  LokiTestReceiver receiver;
  LokiSink sink("loki", config_for(receiver), registry_);
  EXPECT_EQ(write(sink, {}).kind, Kind::kDelivered);
  EXPECT_TRUE(receiver.requests().empty());
}

TEST_F(LokiSinkTest, SendsTenantAndBasicAuth) {
  LokiTestReceiver receiver;
  LokiSinkOptions config = config_for(receiver);
  config.tenant_id = "team-a";
  config.username = "alice";
  config.password = "s3cret:x";
  LokiSink sink("loki", config, registry_);
  ASSERT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("c")}, 1)).kind,
            Kind::kDelivered);
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].header("x-scope-orgid"), "team-a");
  EXPECT_EQ(requests[0].header("authorization"), "Basic YWxpY2U6czNjcmV0Ong=");  // alice:s3cret:x
}

TEST_F(LokiSinkTest, SendsBearerToken) {
  LokiTestReceiver receiver;
  LokiSinkOptions config = config_for(receiver);
  config.bearer_token = "tok.en-123";
  LokiSink sink("loki", config, registry_);
  ASSERT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("c")}, 1)).kind,
            Kind::kDelivered);
  EXPECT_EQ(receiver.requests().at(0).header("authorization"), "Bearer tok.en-123");
}

// Answers `first` to the first request, 204 afterwards.
LokiTestReceiver::Policy first_answer(ReceiverReply first) {
  auto calls = std::make_shared<std::atomic<int>>(0);
  return [calls, first](const ReceivedRequest&) {
    return (*calls)++ == 0 ? first : ReceiverReply::answer(204);
  };
}

struct RetryCase {
  const char* name;
  ReceiverReply reply;
  const char* kind;
  const char* reason_part;
};

class LokiSinkRetryTest : public LokiSinkTest, public ::testing::WithParamInterface<RetryCase> {};

TEST_P(LokiSinkRetryTest, RetriesTheBatchThenDeliversItOnAFreshConnection) {
  LokiTestReceiver receiver;
  receiver.set_policy(first_answer(GetParam().reply));
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 20);

  const auto started = std::chrono::steady_clock::now();
  const SinkWriteOutcome first = write(sink, batch);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
  EXPECT_EQ(first.kind, Kind::kRetry);
  EXPECT_THAT(first.reason, HasSubstr(GetParam().reason_part));
  EXPECT_EQ(errors(GetParam().kind), 1u);
  EXPECT_EQ(total_errors(), 1u);
  EXPECT_EQ(counter("log_capturer_loki_batch_retries_total"), 1u);
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 0u);
  EXPECT_EQ(counter("log_capturer_loki_requests_in_flight"), 0u);

  // The pipeline retries the same batch: it arrives complete, over a new connection.
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_entries_match(receiver.accepted_entries(), batch);
  EXPECT_EQ(receiver.connections_accepted(), 2u);
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 20u);
  EXPECT_EQ(counter("log_capturer_loki_requests_total"), 2u);
}

INSTANTIATE_TEST_SUITE_P(
    Answers, LokiSinkRetryTest,
    ::testing::Values(
        RetryCase{"ServerError", ReceiverReply::answer(500, "ingester unavailable"), "http_5xx",
                  "HTTP 500 Internal Server Error: ingester unavailable"},
        RetryCase{"Unavailable", ReceiverReply::answer(503), "http_5xx", "HTTP 503"},
        RetryCase{"RateLimited", ReceiverReply::answer(429, "Ingestion rate limit exceeded"),
                  "http_429", "HTTP 429 Too Many Requests: Ingestion rate limit exceeded"},
        RetryCase{"Redirect", ReceiverReply::answer(301), "http_other", "HTTP 301"},
        RetryCase{"ConnectionReset", ReceiverReply::reset(), "transport", "push to Loki at http"},
        RetryCase{"Garbage", ReceiverReply::garbage(), "transport", "push to Loki at http"},
        RetryCase{"SlowerThanTheTimeout", ReceiverReply::slow(std::chrono::seconds(4), 503),
                  "timeout", "no answer within 2000 ms"}),
    [](const ::testing::TestParamInfo<RetryCase>& info) { return info.param.name; });

TEST_F(LokiSinkTest, GarbageInAnErrorBodyIsCleanedForTheReason) {
  LokiTestReceiver receiver;
  std::string garbage = "  \x01\x02\xff\xfe oops\r\nline two ";
  garbage += std::string(2000, 'x');
  receiver.set_policy(first_answer(ReceiverReply::answer(502, garbage)));
  LokiSink sink("loki", config_for(receiver), registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("c")}, 1));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_THAT(outcome.reason,
              HasSubstr("HTTP 502 Bad Gateway: ??\xEF\xBF\xBD\xEF\xBF\xBD oops  line two xxx"));
  EXPECT_THAT(outcome.reason, ::testing::EndsWith("xxx..."));
  EXPECT_LT(outcome.reason.size(), 700u);
}

TEST_F(LokiSinkTest, AConnectionLokiClosedWhileIdleIsReplacedWithoutAnError) {
  LokiTestReceiver receiver;
  receiver.set_policy([](const ReceivedRequest&) { return ReceiverReply::answer_then_close(); });
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto container = make_loki_test_container("web");
  const auto first = make_loki_test_batch({container}, 3);
  const auto second = make_loki_test_batch({container}, 3, testing::kLokiTestBaseTime + 1'000'000);
  ASSERT_EQ(write(sink, first).kind, Kind::kDelivered);
  // Let the close reach the client's socket, as an idle timeout would.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const SinkWriteOutcome outcome = write(sink, second);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_EQ(total_errors(), 0u);
  EXPECT_EQ(counter("log_capturer_loki_reused_connection_retries_total"), 1u);
  EXPECT_EQ(receiver.connections_accepted(), 2u);
  EXPECT_EQ(receiver.accepted_entries().size(), 6u);
}

TEST_F(LokiSinkTest, ConnectionRefusedIsRetried) {
  std::uint16_t free_port = 0;
  {
    asio::ip::tcp::acceptor probe(io_, {asio::ip::make_address("127.0.0.1"), 0});
    free_port = probe.local_endpoint().port();
  }
  LokiSinkOptions config;
  config.url = "http://127.0.0.1:" + std::to_string(free_port);
  LokiSink sink("loki", config, registry_);
  EXPECT_EQ(sink.url().target, "/loki/api/v1/push");
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("c")}, 2));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_THAT(outcome.reason, HasSubstr("connect to Loki at http://127.0.0.1:" +
                                        std::to_string(free_port) + "/loki/api/v1/push"));
  EXPECT_THAT(outcome.reason, HasSubstr("refused"));
  EXPECT_EQ(errors("connect"), 1u);
  EXPECT_EQ(counter("log_capturer_loki_connections_opened_total"), 0u);
}

struct RejectCase {
  const char* name;
  unsigned status;
  const char* body;
  const char* reason;
};

class LokiSinkRejectTest : public LokiSinkTest, public ::testing::WithParamInterface<RejectCase> {};

TEST_P(LokiSinkRejectTest, RejectsTheBatchWithLokisMessage) {
  LokiTestReceiver receiver;
  receiver.set_policy(first_answer(ReceiverReply::answer(GetParam().status, GetParam().body)));
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 7);
  const SinkWriteOutcome outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kRejected);
  EXPECT_THAT(outcome.reason,
              HasSubstr("Loki refused 7 of 7 records: HTTP " + std::to_string(GetParam().status)));
  if (*GetParam().body != '\0') {
    EXPECT_THAT(outcome.reason, HasSubstr(std::string(GetParam().body).substr(0, 40)));
  }
  EXPECT_EQ(rejected(GetParam().reason), 7u);
  EXPECT_EQ(counter("log_capturer_loki_batch_retries_total"), 0u);
  EXPECT_EQ(counter("log_capturer_sink_batches_total"), 0u);
  EXPECT_EQ(receiver.requests().size(), 1u);  // no retry of its own
}

INSTANTIATE_TEST_SUITE_P(
    Answers, LokiSinkRejectTest,
    ::testing::Values(
        RejectCase{"OutOfOrder", 400,
                   "entry with timestamp 2023-11-14 22:13:20 +0000 UTC ignored, reason: 'entry out "
                   "of order' for stream: {container_name=\"web\"},",
                   "out_of_order"},
        RejectCase{"TooOld", 400,
                   "entry for stream '{container_name=\"web\"}' has timestamp too old: "
                   "2020-01-01T00:00:00Z, oldest acceptable timestamp is: 2023-11-07T22:13:20Z",
                   "too_old"},
        RejectCase{"TooFarBehind", 400,
                   "entry with timestamp 2022-10-10 13:25:44 +0000 UTC ignored, reason: 'entry too "
                   "far behind, entry timestamp is: 2022-10-10T13:25:44Z'",
                   "too_far_behind"},
        RejectCase{"MissingLabels", 400, "error at least one label pair is required per stream",
                   "invalid_labels"},
        RejectCase{"LineTooLong", 400,
                   "Max entry size '262144' bytes exceeded for stream '{container_name=\"web\"}' "
                   "while adding an entry with length '300000' bytes",
                   "line_too_long"}),
    [](const ::testing::TestParamInfo<RejectCase>& info) { return info.param.name; });

struct NotTheRecordsCase {
  const char* name;
  unsigned status;
  const char* body;
  const char* kind;
};

class LokiSinkNotTheRecordsTest : public LokiSinkTest,
                                  public ::testing::WithParamInterface<NotTheRecordsCase> {};

// An answer that is not Loki judging the records (a proxy, an ingress during a rollout, a wrong
// path) keeps them: retried, never rejected, and never dead-lettered by the retry limit.
TEST_P(LokiSinkNotTheRecordsTest, RetriesTheBatchInsteadOfRejectingIt) {
  LokiTestReceiver receiver;
  receiver.set_policy(first_answer(ReceiverReply::answer(GetParam().status, GetParam().body)));
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 7);
  const SinkWriteOutcome first = write(sink, batch);
  EXPECT_EQ(first.kind, Kind::kRetry);
  EXPECT_TRUE(first.not_the_records);
  EXPECT_THAT(first.reason, HasSubstr("answered HTTP " + std::to_string(GetParam().status)));
  EXPECT_EQ(errors(GetParam().kind), 1u);
  for (const char* reason :
       {"out_of_order", "too_old", "too_far_behind", "too_new", "line_too_long", "invalid_labels",
        "structured_metadata", "too_large"}) {
    EXPECT_EQ(rejected(reason), 0u) << reason;
  }
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_entries_match(receiver.accepted_entries(), batch);
}

INSTANTIATE_TEST_SUITE_P(
    Answers, LokiSinkNotTheRecordsTest,
    ::testing::Values(
        NotTheRecordsCase{"NotFound", 404, "default backend - 404", "http_4xx"},
        NotTheRecordsCase{"MethodNotAllowed", 405, "", "http_4xx"},
        NotTheRecordsCase{"MisdirectedRequest", 421, "Misdirected Request", "http_4xx"},
        NotTheRecordsCase{"PlainHttpToHttpsPort", 400,
                          "<html><head><title>400 The plain HTTP request was sent to HTTPS "
                          "port</title></head></html>",
                          "http_400"},
        NotTheRecordsCase{"EmptyBadRequest", 400, "", "http_400"},
        NotTheRecordsCase{"Redirect", 302, "moved", "http_other"}),
    [](const ::testing::TestParamInfo<NotTheRecordsCase>& info) { return info.param.name; });

class LokiSinkAuthTest : public LokiSinkTest, public ::testing::WithParamInterface<unsigned> {};

TEST_P(LokiSinkAuthTest, RefusedCredentialsHoldTheSinkUntilLokiTakesTheBatch) {
  LokiTestReceiver receiver;
  receiver.set_policy(first_answer(ReceiverReply::answer(GetParam(), "no org id")));
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  const SinkWriteOutcome held = write(sink, batch);
  EXPECT_EQ(held.kind, Kind::kHold);
  EXPECT_EQ(held.hold_cause, SinkHoldCause::kAuth);
  EXPECT_THAT(held.reason, HasSubstr("answered HTTP " + std::to_string(GetParam())));
  EXPECT_THAT(held.reason, HasSubstr("check tenant_id and the credentials"));
  EXPECT_EQ(errors("http_auth"), 1u);
  EXPECT_EQ(counter("log_capturer_loki_batch_retries_total"), 1u);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_entries_match(receiver.accepted_entries(), batch);
}

INSTANTIATE_TEST_SUITE_P(Statuses, LokiSinkAuthTest, ::testing::Values(401u, 403u));

// A receiver whose answer the test changes between writes.
struct SwitchableAnswer {
  std::shared_ptr<std::atomic<unsigned>> status = std::make_shared<std::atomic<unsigned>>(204);
  LokiTestReceiver::Policy policy() const {
    return [status = status](const ReceivedRequest& request) {
      const unsigned now = status->load();
      if (now == 400) {
        return ReceiverReply::answer(
            400, "entry for stream '" + request.entries.at(0).labels +
                     "' has timestamp too old: 2020-01-01T00:00:00Z, oldest acceptable "
                     "timestamp is: 2023-11-07T22:13:20Z");
      }
      return ReceiverReply::answer(now, now == 404 ? "404 page not found" : "");
    };
  }
};

TEST_F(LokiSinkTest, ManyWholeBatchesInARowRefusedByAnswersThatAreNotLokisHoldTheSink) {
  LokiTestReceiver receiver;
  SwitchableAnswer answer;
  receiver.set_policy(answer.policy());
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 4);
  answer.status->store(404);
  for (std::uint32_t i = 1; i < SinkHoldPolicy::kDefaultUnexpectedInARow; ++i) {
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, Kind::kRetry) << i;
    EXPECT_TRUE(outcome.not_the_records) << i;
  }
  const SinkWriteOutcome held = write(sink, batch);
  EXPECT_EQ(held.kind, Kind::kHold);
  EXPECT_EQ(held.hold_cause, SinkHoldCause::kMisconfiguration);
  EXPECT_THAT(held.reason, HasSubstr("HTTP 404 Not Found: 404 page not found; 5 answers in a "
                                     "row that are not Loki judging records: check the url"));
  // Loki unavailable meanwhile: still held.
  answer.status->store(503);
  EXPECT_EQ(write(sink, batch).kind, Kind::kHold);
  // A later success clears it: the next 404 is one of a new run.
  answer.status->store(204);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  answer.status->store(404);
  EXPECT_EQ(write(sink, batch).kind, Kind::kRetry);
}

TEST_F(LokiSinkTest, TooOldAnyNumberOfTimesIsARejectionNeverAHold) {
  LokiTestReceiver receiver;
  SwitchableAnswer answer;
  answer.status->store(400);
  receiver.set_policy(answer.policy());
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 2);
  for (int i = 0; i < 3 * static_cast<int>(SinkHoldPolicy::kDefaultUnexpectedInARow); ++i) {
    ASSERT_EQ(write(sink, batch).kind, Kind::kRejected) << i;
  }
  EXPECT_EQ(rejected("too_old"), 30u);
}

// Loki answers 400 when it refuses some entries of a push (and stores the others): the batch
// is split until each refused record stands alone; only those are dead letters.
TEST_F(LokiSinkTest, ABatchRefusedInPartIsSplitAndOnlyTheRefusedRecordsAreDeadLetters) {
  LokiTestReceiver receiver;
  receiver.set_policy([](const ReceivedRequest& request) {
    std::size_t old = 0;
    for (const ReceivedEntry& entry : request.entries) old += entry.line.starts_with("old");
    if (old == 0) return ReceiverReply::answer(204);
    return ReceiverReply::answer(
        400,
        "entry with timestamp 2020-01-01 00:00:00 +0000 UTC ignored, reason: 'entry too "
        "far behind, oldest acceptable timestamp is: 2026-01-01T00:00:00Z',\nuser 'fake', "
        "total ignored: " +
            std::to_string(old) + " out of " + std::to_string(request.entries.size()) +
            " for stream: {app=\"a\"}");
  });
  LokiSink sink("loki", config_for(receiver), registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("a")}, 8);
  batch[1].message = "old one";
  batch[6].message = "old two";
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRejected) << outcome.reason;
  EXPECT_THAT(outcome.refused_records, ElementsAre(1u, 6u));
  EXPECT_THAT(outcome.reason, HasSubstr("Loki refused 2 of 8 records"));
  EXPECT_EQ(receiver.accepted_entries().size(), 6u);
  EXPECT_EQ(rejected("too_far_behind"), 2u);
}

TEST_F(LokiSinkTest, ABatchRefusedWhollyIsNotSplit) {
  LokiTestReceiver receiver;
  receiver.set_policy([](const ReceivedRequest& request) {
    const std::string n = std::to_string(request.entries.size());
    return ReceiverReply::answer(400,
                                 "entry for stream '{app=\"a\"}' has timestamp too old: "
                                 "2020-01-01T00:00:00Z\ntotal ignored: " +
                                     n + " out of " + n);
  });
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("a")}, 8);
  ASSERT_EQ(write(sink, batch).kind, Kind::kRejected);
  EXPECT_EQ(counter("log_capturer_loki_requests_total"), 1u);  // after an outage: no 15 pushes
  EXPECT_EQ(rejected("too_old"), 8u);
}

TEST_F(LokiSinkTest, TooLargeBatchesAreSplitUntilLokiAcceptsThem) {
  LokiTestReceiver receiver;
  // Like Loki's max request size, in entries: more than 3 is too large.
  receiver.set_policy([](const ReceivedRequest& request) {
    return ReceiverReply::answer(request.entries.size() > 3 ? 413 : 204);
  });
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch =
      make_loki_test_batch({make_loki_test_container("a"), make_loki_test_container("b")}, 5);
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  // 10 -> 5 + 5 -> (2 + 3) + (2 + 3): every record exactly once.
  expect_entries_match(receiver.accepted_entries(), batch);
  EXPECT_EQ(counter("log_capturer_loki_batch_splits_total"), 3u);
  EXPECT_EQ(errors("http_413"), 3u);
  EXPECT_EQ(counter("log_capturer_loki_requests_total"), 7u);
  EXPECT_EQ(counter("log_capturer_sink_records_written_total"), 10u);
  EXPECT_EQ(counter("log_capturer_sink_batches_total"), 1u);
}

TEST_F(LokiSinkTest, ARecordTooLargeOnItsOwnIsRejectedAndTheRestDelivered) {
  LokiTestReceiver receiver;
  receiver.set_policy([](const ReceivedRequest& request) {
    for (const ReceivedEntry& entry : request.entries) {
      if (entry.line.size() > 1000) return ReceiverReply::answer(413, "request too large");
    }
    return ReceiverReply::answer(204);
  });
  LokiSink sink("loki", config_for(receiver), registry_);
  auto batch = make_loki_test_batch({make_loki_test_container("a")}, 4);
  batch[2].message = std::string(5000, 'z');
  const SinkWriteOutcome outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kRejected);
  EXPECT_THAT(outcome.reason, HasSubstr("Loki refused 1 of 4 records: a single record of 5000 "
                                        "bytes makes a push request of"));
  EXPECT_THAT(outcome.reason, HasSubstr("(it accepted the other 3)"));
  // Only that record is a dead letter: the others are in Loki already.
  EXPECT_THAT(outcome.refused_records, ElementsAre(2u));
  EXPECT_EQ(rejected("too_large"), 1u);
  const auto accepted = receiver.accepted_entries();
  ASSERT_EQ(accepted.size(), 3u);
  for (const ReceivedEntry& entry : accepted) EXPECT_LT(entry.line.size(), 1000u);
}

TEST_F(LokiSinkTest, AFailureInTheFirstHalfOfASplitStopsAndRetriesTheBatch) {
  LokiTestReceiver receiver;
  auto calls = std::make_shared<std::atomic<int>>(0);
  receiver.set_policy([calls](const ReceivedRequest&) {
    const int call = (*calls)++;
    return ReceiverReply::answer(call == 0 ? 413 : call == 1 ? 503 : 204);
  });
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("a")}, 8);
  EXPECT_EQ(write(sink, batch).kind, Kind::kRetry);
  EXPECT_EQ(receiver.requests().size(), 2u);  // the second half was not sent
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_entries_match(receiver.accepted_entries(), batch);
}

// The first half of a split is stored, the second gets a 503: the retry names the stored half,
// so that retries running out dead-letter only the other.
TEST_F(LokiSinkTest, ARetryAfterASplitNamesTheHalfLokiStored) {
  LokiTestReceiver receiver;
  auto calls = std::make_shared<std::atomic<int>>(0);
  receiver.set_policy([calls](const ReceivedRequest&) {
    const int call = (*calls)++;
    return ReceiverReply::answer(call == 0 ? 413 : call == 1 ? 204 : 503);
  });
  LokiSink sink("loki", config_for(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("a")}, 6);
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kRetry) << outcome.reason;
  EXPECT_THAT(outcome.delivered_records, ElementsAre(0u, 1u, 2u));
  EXPECT_EQ(receiver.accepted_entries().size(), 3u);
}

class LokiSinkTlsTest : public LokiSinkTest {
 protected:
  LokiSinkOptions tls_config(const LokiTestReceiver& receiver) {
    LokiSinkOptions config = config_for(receiver);
    config.tls.ca_file = certs_.file("ca.pem");
    config.tls.cert_file = certs_.file("client-cert.pem");
    config.tls.key_file = certs_.file("client-key.pem");
    return config;
  }
  LokiTestReceiver::Options server_options(bool require_client_certificate) {
    LokiTestReceiver::Options options;
    options.cert_file = certs_.file("server-cert.pem");
    options.key_file = certs_.file("server-key.pem");
    if (require_client_certificate) options.client_ca_file = certs_.file("ca.pem");
    return options;
  }
  testing::TestCertificates certs_;
};

TEST_F(LokiSinkTlsTest, DeliversOverTlsWithAClientCertificate) {
  LokiTestReceiver receiver(server_options(true));
  ASSERT_THAT(receiver.url(), ::testing::StartsWith("https://127.0.0.1:"));
  LokiSink sink("loki", tls_config(receiver), registry_);
  const auto batch = make_loki_test_batch({make_loki_test_container("secure")}, 10);
  for (int i = 0; i < 2; ++i) {
    const SinkWriteOutcome outcome = write(sink, batch);
    ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  }
  EXPECT_EQ(receiver.failed_handshakes(), 0u);
  EXPECT_EQ(receiver.connections_accepted(), 1u);  // keep-alive over TLS too
  EXPECT_EQ(receiver.accepted_entries().size(), 20u);
}

TEST_F(LokiSinkTlsTest, WithoutTheClientCertificateTheServerRefusesAndTheBatchIsRetried) {
  LokiTestReceiver receiver(server_options(true));
  LokiSinkOptions config = tls_config(receiver);
  config.tls.cert_file.clear();
  config.tls.key_file.clear();
  LokiSink sink("loki", config, registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("c")}, 1));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  // TLS 1.3: the client learns of the refusal after its side of the handshake, on first read.
  EXPECT_EQ(errors("tls") + errors("transport"), 1u);
  // The receiver counts the refusal on its own thread, maybe just after the client saw it.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (receiver.failed_handshakes() == 0 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(receiver.failed_handshakes(), 1u);
  EXPECT_TRUE(receiver.accepted_entries().empty());
}

TEST_F(LokiSinkTlsTest, AServerCertificateFromAnotherCaIsRefused) {
  LokiTestReceiver receiver(server_options(false));
  testing::TestCertificates other("another-ca");
  LokiSinkOptions config = tls_config(receiver);
  config.tls.ca_file = other.file("ca.pem");
  LokiSink sink("loki", config, registry_);
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("c")}, 1));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_THAT(outcome.reason, HasSubstr("TLS handshake failed"));
  EXPECT_THAT(outcome.reason, HasSubstr("certificate verify failed"));
  EXPECT_EQ(errors("tls"), 1u);
  EXPECT_TRUE(receiver.accepted_entries().empty());
}

TEST_F(LokiSinkTlsTest, VerificationCanBeTurnedOff) {
  LokiTestReceiver receiver(server_options(false));
  testing::TestCertificates other("another-ca");
  LokiSinkOptions config = tls_config(receiver);
  config.tls.ca_file = other.file("ca.pem");
  config.tls.verify = false;
  LokiSink sink("loki", config, registry_);
  EXPECT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("c")}, 1)).kind,
            Kind::kDelivered);
}

TEST_F(LokiSinkTlsTest, AMissingCaFileIsAClearError) {
  LokiTestReceiver receiver(server_options(false));
  LokiSinkOptions config = tls_config(receiver);
  config.tls.ca_file = certs_.file("nope.pem");
  try {
    LokiSink sink("loki", config, registry_);
    FAIL() << "no error";
  } catch (const std::runtime_error& error) {
    EXPECT_THAT(error.what(),
                HasSubstr("cannot load Loki TLS CA file '" + certs_.file("nope.pem")));
  }
}

// docs/metrics.md documents every series the sink registers.
TEST_F(LokiSinkTest, EveryMetricIsDocumented) {
  LokiSink sink("loki", LokiSinkOptions{}, registry_);
  // $LC_SOURCE_DIR (set by CTest), else found upwards from the working directory.
  std::filesystem::path source_dir;
  if (const char* from_env = std::getenv("LC_SOURCE_DIR")) source_dir = from_env;
  for (auto dir = std::filesystem::current_path(); source_dir.empty() && dir != dir.root_path();
       dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / "docs" / "metrics.md")) source_dir = dir;
  }
  std::ifstream file(source_dir / "docs" / "metrics.md");
  ASSERT_TRUE(file) << "docs/metrics.md not found: set LC_SOURCE_DIR to the repository root";
  std::stringstream doc;
  doc << file.rdbuf();
  std::istringstream rendered(registry_.render());
  std::size_t families = 0;
  for (std::string line; std::getline(rendered, line);) {
    if (!line.starts_with("# TYPE ")) continue;
    const std::string name = line.substr(7, line.find(' ', 7) - 7);
    ++families;
    EXPECT_TRUE(std::regex_search(doc.str(), std::regex("`" + name + "[`{]")))
        << name << " is not in docs/metrics.md";
  }
  EXPECT_EQ(families, 13u);
}

}  // namespace
}  // namespace lc
