// The syslog sink against a real rsyslogd (Debian's: imtcp with octet counting and newline
// framing, TLS through its ossl driver, imrelp, imudp): every record arrives once with its
// facility, severity, header and structured data; rsyslog restarted mid-stream loses nothing
// over RELP and, over TCP, at most what the sink counted at risk. Stand-ins cover what rsyslog
// cannot be made to do: closing after every message, refusing messages, speaking another
// protocol.
#include "sinks/syslog/syslog_sink.hpp"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "docker/docker_test_support.hpp"
#include "metrics/metrics_registry.hpp"
#include "sinks/common/rendered_metric.hpp"
#include "sinks/common/test_certificates.hpp"
#include "sinks/loki/loki_test_records.hpp"
#include "sinks/syslog/relp_frame.hpp"
#include "sinks/syslog/rsyslog_server.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;
using testing::make_loki_test_batch;
using testing::make_loki_test_container;
using testing::ReceivedSyslog;
using testing::RsyslogServer;
using Kind = SinkWriteOutcome::Kind;

// How many times each message arrived.
std::map<std::string, int> arrivals(const std::vector<ReceivedSyslog>& received) {
  std::map<std::string, int> counts;
  for (const ReceivedSyslog& message : received) ++counts[message.message];
  return counts;
}

// A stand-in server on a claimed port: a thread accepts connections one after another and
// hands each to `serve` (which closes it by returning).
class StandInServer {
 public:
  explicit StandInServer(std::function<void(int)> serve) : serve_(std::move(serve)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(port_.port());
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
    EXPECT_EQ(::listen(listener_, 16), 0);
    thread_ = std::thread([this] { accept_loop(); });
  }
  ~StandInServer() {
    stopping_ = true;
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  std::uint16_t port() const { return port_.port(); }

 private:
  void accept_loop() {
    while (!stopping_) {
      const int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      serve_(connection);
      ::close(connection);
    }
  }

  testing::ClaimedPort port_;
  std::function<void(int)> serve_;
  int listener_ = -1;
  std::atomic<bool> stopping_ = false;
  std::thread thread_;
};

// Reads from `fd` into `buffer` until `complete` says how long the first message is; false
// when the peer closed first.
bool read_until(int fd, std::string& buffer, const std::function<std::size_t()>& complete) {
  char chunk[4096];
  while (complete() == 0) {
    const ssize_t count = ::read(fd, chunk, sizeof(chunk));
    if (count <= 0) return false;
    buffer.append(chunk, static_cast<std::size_t>(count));
  }
  return true;
}

// The length of the first octet-counted frame of `buffer` with its count; 0 when not whole.
std::size_t octet_frame_length(const std::string& buffer) {
  const std::size_t space = buffer.find(' ');
  if (space == std::string::npos) return 0;
  const std::size_t length = std::stoul(buffer.substr(0, space));
  return buffer.size() >= space + 1 + length ? space + 1 + length : 0;
}

// The MSG of an RFC 5424 message written by the sink with the default options.
std::string msg_of(const std::string& message) {
  const std::size_t sd_end = message.find("] ");
  return sd_end == std::string::npos ? message : message.substr(sd_end + 2);
}

// The first RELP frame of `buffer`, removed from it; nullopt when not whole.
std::optional<RelpFrame> take_relp_frame(std::string& buffer) {
  std::size_t consumed = 0;
  auto frame = parse_relp_frame(buffer, consumed, 1 << 20);
  if (frame) buffer.erase(0, consumed);
  return frame;
}

// Reads one RELP frame from `fd`; nullopt when the peer closed first.
std::optional<RelpFrame> read_relp_frame(int fd, std::string& buffer) {
  std::optional<RelpFrame> frame;
  read_until(fd, buffer, [&] {
    frame = take_relp_frame(buffer);
    return frame ? std::size_t{1} : std::size_t{0};
  });
  return frame;
}

void answer_relp(int fd, std::uint32_t txnr, std::string_view data) {
  std::string out;
  append_relp_frame(txnr, "rsp", data, out);
  EXPECT_EQ(::write(fd, out.data(), out.size()), static_cast<ssize_t>(out.size()));
}

// Reads the client's "open" and answers it offering `commands`; false when the client closed
// first.
bool accept_relp_open(int fd, std::string& buffer, std::string_view commands = "syslog") {
  const auto open = read_relp_frame(fd, buffer);
  if (!open || open->command != "open") return false;
  answer_relp(fd, open->txnr,
              "200 OK\nrelp_version=0\nrelp_software=stand-in\ncommands=" + std::string(commands));
  return true;
}

// Serves a RELP session: answers "open", then each "syslog" with `answer(message)` ("200 OK",
// "500 ..."), closing after `per_session` messages (0: never).
void serve_relp(int fd, std::mutex& mutex, std::vector<std::string>& received,
                const std::function<std::string(const std::string&)>& answer,
                std::size_t per_session) {
  std::string buffer;
  if (!accept_relp_open(fd, buffer)) return;
  for (std::size_t served = 0; per_session == 0 || served < per_session; ++served) {
    const auto frame = read_relp_frame(fd, buffer);
    if (!frame || frame->command != "syslog") return;
    const std::string reply = answer(msg_of(frame->data));
    if (reply.starts_with("200")) {
      std::lock_guard lock(mutex);
      received.push_back(msg_of(frame->data));
    }
    answer_relp(fd, frame->txnr, reply);
  }
}

class SyslogSinkTest : public ::testing::Test {
 protected:
  static SyslogSinkOptions options_for(SyslogSinkOptions::Protocol protocol, std::uint16_t port) {
    SyslogSinkOptions options;
    options.protocol = protocol;
    options.address = "127.0.0.1:" + std::to_string(port);
    options.hostname = "agent-host";
    options.connect_timeout = std::chrono::seconds(2);
    options.write_timeout = std::chrono::seconds(5);
    options.max_message_bytes = 200 * 1024;  // the 100 KiB line whole (rsyslog takes 256 KiB)
    return options;
  }
  SinkWriteOutcome write(SyslogSink& sink, const std::vector<LogRecord>& batch) {
    return docker::testing::run_bounded(io_, sink.write(batch), std::chrono::seconds(30));
  }
  // Writes `batch` until the sink delivers it all, as the pipeline retries: at most `tries`.
  void write_until_delivered(SyslogSink& sink, const std::vector<LogRecord>& batch,
                             int tries = 50) {
    for (int i = 0; i < tries; ++i) {
      if (write(sink, batch).kind == Kind::kDelivered) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << "not delivered after " << tries << " tries";
  }
  double metric(const std::string& name, const std::string& sink = "syslog") {
    return testing::rendered_metric(registry_.render(), name + "{sink=\"" + sink + "\"}");
  }
  double failures(const std::string& kind) {
    return testing::rendered_metric(
        registry_.render(),
        "log_capturer_syslog_connection_failures_total{sink=\"syslog\",kind=\"" + kind + "\"}");
  }

  boost::asio::io_context io_;
  MetricsRegistry registry_;
};

std::vector<LogRecord> mixed_batch() {
  auto batch = make_loki_test_batch(
      {make_loki_test_container("web", "shop", "frontend"), make_loki_test_container("db")}, 20);
  batch[3].stream = LogStream::kStderr;
  batch[5].fields = RecordFields(FieldValue::Map{{"level", FieldValue("warning")}});
  batch[7].message = "first line\n\tat second line";
  batch[9].message = std::string(100 * 1024, 'x') + " long";
  return batch;
}

void expect_arrived_once(const std::vector<LogRecord>& batch, RsyslogServer& server,
                         bool newline_escaped = true) {
  ASSERT_TRUE(server.wait_for(batch.size())) << server.messages().size() << " of " << batch.size();
  const auto counts = arrivals(server.messages());
  for (const LogRecord& record : batch) {
    std::string expected = record.message;
    if (newline_escaped) {
      for (std::size_t at; (at = expected.find('\n')) != std::string::npos;) {
        expected.replace(at, 1, "#012");
      }
      for (std::size_t at; (at = expected.find('\t')) != std::string::npos;) {
        expected.replace(at, 1, "#011");
      }
    }
    const auto found = counts.find(expected);
    EXPECT_TRUE(found != counts.end() && found->second == 1)
        << expected.substr(0, 80) << " arrived " << (found == counts.end() ? 0 : found->second);
  }
  EXPECT_EQ(server.messages().size(), batch.size());
}

TEST_F(SyslogSinkTest, TcpOctetCountedRecordsArriveOnceWithTheirHeaderAndMetadata) {
  RsyslogServer server;
  SyslogSinkOptions options = options_for(SyslogSinkOptions::Protocol::kTcp, server.tcp_port());
  options.facility = "local3";
  options.procid = "{{ .compose_service }}";
  options.msgid = "{{ .stream }}";
  SyslogSink sink("syslog", options, registry_, "agent-host");
  const auto batch = mixed_batch();
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_arrived_once(batch, server);

  std::map<std::string, ReceivedSyslog> by_message;
  for (const auto& message : server.messages()) by_message[message.message] = message;
  const ReceivedSyslog& first = by_message.at(batch[0].message);
  EXPECT_EQ(first.facility, 19);  // local3
  EXPECT_EQ(first.severity, 6);   // info
  EXPECT_EQ(first.hostname, "agent-host");
  EXPECT_EQ(first.app_name, "web");
  EXPECT_EQ(first.procid, "frontend");
  EXPECT_EQ(first.msgid, "stdout");
  EXPECT_EQ(first.timestamp, "2023-11-14T22:13:20.123456Z");
  EXPECT_EQ(first.structured_data,
            "[log-capturer@32473 container_id=\"" + batch[0].container->id +
                "\" container_name=\"web\" image=\"registry.local/web:1.0\" "
                "compose_project=\"shop\" compose_service=\"frontend\" stream=\"stdout\"]");
  EXPECT_EQ(by_message.at(batch[1].message).procid, "-");
  EXPECT_EQ(by_message.at(batch[3].message).severity, 3);  // stderr: err
  EXPECT_EQ(by_message.at(batch[3].message).msgid, "stderr");
  EXPECT_EQ(by_message.at(batch[5].message).severity, 4);  // level: warning
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), batch.size());
  EXPECT_EQ(metric("log_capturer_syslog_connections_total"), 1);
  EXPECT_EQ(metric("log_capturer_syslog_records_resent_total"), 0);
}

TEST_F(SyslogSinkTest, NewlineFramingEscapesNewlinesInsideAMessage) {
  RsyslogServer server;
  SyslogSinkOptions options = options_for(SyslogSinkOptions::Protocol::kTcp, server.tcp_port());
  options.framing = SyslogSinkOptions::Framing::kNewline;
  SyslogSink sink("syslog", options, registry_, "agent-host");
  const auto batch = mixed_batch();
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_arrived_once(batch, server);
}

TEST_F(SyslogSinkTest, RelpRecordsArriveOnceEachAcknowledged) {
  RsyslogServer server;
  SyslogSinkOptions options = options_for(SyslogSinkOptions::Protocol::kRelp, server.relp_port());
  options.relp_window = 8;
  SyslogSink sink("syslog", options, registry_, "agent-host");
  const auto batch = mixed_batch();
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_arrived_once(batch, server);
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), batch.size());
}

TEST_F(SyslogSinkTest, UdpWhenAskedSendsADatagramPerRecord) {
  RsyslogServer server;
  SyslogSinkOptions options = options_for(SyslogSinkOptions::Protocol::kUdp, server.udp_port());
  SyslogSink sink("syslog", options, registry_, "agent-host");
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 20);
  ASSERT_EQ(write(sink, batch).kind, Kind::kDelivered);
  expect_arrived_once(batch, server);
}

TEST_F(SyslogSinkTest, TlsAndMutualTlsRelpVerifyTheServerAgainstTheCa) {
  testing::TestCertificates certificates;
  RsyslogServer server({certificates.file("ca.pem"), certificates.file("server-cert.pem"),
                        certificates.file("server-key.pem")});
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 10);
  for (const auto protocol :
       {SyslogSinkOptions::Protocol::kTcp, SyslogSinkOptions::Protocol::kRelp}) {
    SyslogSinkOptions options =
        options_for(protocol, protocol == SyslogSinkOptions::Protocol::kTcp ? server.tcp_port()
                                                                            : server.relp_port());
    options.tls = true;
    options.tls_client.ca_file = certificates.file("ca.pem");
    if (protocol == SyslogSinkOptions::Protocol::kRelp) {  // imrelp asks for a client's too
      options.tls_client.cert_file = certificates.file("client-cert.pem");
      options.tls_client.key_file = certificates.file("client-key.pem");
    }
    SyslogSink sink("syslog", options, registry_, "agent-host");
    const SinkWriteOutcome outcome = write(sink, batch);
    ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  }
  ASSERT_TRUE(server.wait_for(2 * batch.size()));
  for (const auto& [message, count] : arrivals(server.messages())) EXPECT_EQ(count, 2) << message;

  // A CA that did not sign the server's certificate, and a certificate for another host (it
  // names 127.0.0.1, the sink connects to "localhost"): TLS failures, retried, nothing
  // delivered.
  testing::TestCertificates other("another-ca");
  SyslogSinkOptions wrong_ca = options_for(SyslogSinkOptions::Protocol::kTcp, server.tcp_port());
  wrong_ca.tls = true;
  wrong_ca.tls_client.ca_file = other.file("ca.pem");
  SyslogSinkOptions wrong_host = wrong_ca;
  wrong_host.address = "localhost:" + std::to_string(server.tcp_port());
  wrong_host.tls_client.ca_file = certificates.file("ca.pem");
  for (const SyslogSinkOptions& options : {wrong_ca, wrong_host}) {
    SyslogSink sink("syslog", options, registry_, "agent-host");
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, Kind::kRetry);
    EXPECT_TRUE(outcome.not_the_records);
    EXPECT_THAT(outcome.reason, HasSubstr("TLS handshake failed"));
    EXPECT_EQ(failures("tls"), 1);  // a sink's own series
    EXPECT_EQ(metric("log_capturer_sink_records_written_total"), 0);
  }
  EXPECT_EQ(server.messages().size(), 2 * batch.size());
}

// The agent's sink loop ends once its work is done: an open TCP connection, whose watcher
// waits on a read, must not keep it running after the lane stopped.
TEST_F(SyslogSinkTest, StoppingLetsTheLoopEndWithAConnectionOpen) {
  RsyslogServer server;
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kTcp, server.tcp_port()),
                  registry_, "agent-host");
  ASSERT_EQ(write(sink, make_loki_test_batch({make_loki_test_container("web")}, 3)).kind,
            Kind::kDelivered);
  sink.stop_waiting_by(std::chrono::steady_clock::now());
  io_.restart();
  io_.run_for(std::chrono::seconds(5));
  EXPECT_TRUE(io_.stopped()) << "the loop still had work 5 s after the lane stopped";
}

TEST_F(SyslogSinkTest, AStoppedServerIsRetriedAndNothingIsDelivered) {
  testing::ClaimedPort nobody;
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kTcp, nobody.port()),
                  registry_, "agent-host");
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 3));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_TRUE(outcome.not_the_records);
  EXPECT_GE(failures("connect"), 1);
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), 0);
}

TEST_F(SyslogSinkTest, ATcpServerClosingAfterEveryMessageLosesAtMostWhatIsCountedAtRisk) {
  std::mutex mutex;
  std::vector<std::string> received;
  StandInServer server([&](int fd) {
    std::string buffer;
    if (!read_until(fd, buffer, [&] { return octet_frame_length(buffer); })) return;
    const std::size_t length = octet_frame_length(buffer);
    std::lock_guard lock(mutex);
    received.push_back(msg_of(buffer.substr(buffer.find(' ') + 1, length - buffer.find(' ') - 1)));
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kTcp, server.port()),
                  registry_, "agent-host");
  // Ten batches, the sink's loop running between them (as the agent's does) so that it sees
  // the server close.
  std::vector<LogRecord> sent;
  for (int i = 0; i < 10; ++i) {
    const auto batch =
        make_loki_test_batch({make_loki_test_container("web" + std::to_string(i))}, 3);
    write_until_delivered(sink, batch, 200);
    sent.insert(sent.end(), batch.begin(), batch.end());
    io_.restart();
    io_.run_for(std::chrono::milliseconds(50));
  }
  io_.restart();
  io_.run_for(std::chrono::milliseconds(300));
  std::lock_guard lock(mutex);
  const std::set<std::string> got(received.begin(), received.end());
  std::size_t missing = 0;
  for (const auto& record : sent) missing += got.count(record.message) == 0 ? 1 : 0;
  EXPECT_GT(missing, 0u) << "the stand-in closes with messages unread: some must be lost";
  EXPECT_LE(missing, metric("log_capturer_syslog_records_at_risk_total"));
  EXPECT_LE(received.size() - got.size(), metric("log_capturer_syslog_records_resent_total"));
  EXPECT_GE(failures("closed"), 1);
}

TEST_F(SyslogSinkTest, ARelpServerClosingAfterEveryMessageLosesNothing) {
  std::mutex mutex;
  std::vector<std::string> received;
  StandInServer server([&](int fd) {
    serve_relp(
        fd, mutex, received, [](const std::string&) { return "200 OK"; }, 1);
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kRelp, server.port()),
                  registry_, "agent-host");
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 30);
  write_until_delivered(sink, batch, 200);
  std::lock_guard lock(mutex);
  const std::set<std::string> got(received.begin(), received.end());
  for (const auto& record : batch) EXPECT_EQ(got.count(record.message), 1u) << record.message;
  EXPECT_LE(received.size() - got.size(), metric("log_capturer_syslog_records_resent_total"));
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), batch.size());
}

TEST_F(SyslogSinkTest, MessagesTheRelpServerRefusesAreDeadLetteredWithItsAnswer) {
  std::mutex mutex;
  std::vector<std::string> received;
  StandInServer server([&](int fd) {
    serve_relp(
        fd, mutex, received,
        [](const std::string& message) {
          return message.ends_with("line 2") ? "500 message refused by policy" : "200 OK";
        },
        0);
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kRelp, server.port()),
                  registry_, "agent-host");
  const auto batch = make_loki_test_batch({make_loki_test_container("web")}, 5);
  const SinkWriteOutcome outcome = write(sink, batch);
  EXPECT_EQ(outcome.kind, Kind::kRejected);
  EXPECT_EQ(outcome.refused_records, std::vector<std::uint32_t>{2});
  EXPECT_THAT(outcome.reason, HasSubstr("500 message refused by policy"));
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), 4);
}

TEST_F(SyslogSinkTest, AServerThatDoesNotSpeakRelpIsAProtocolFailure) {
  StandInServer server([](int fd) {
    std::string buffer;
    read_until(fd, buffer, [&] { return buffer.find('\n') == std::string::npos ? 0 : 1; });
    const std::string answer = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n";
    EXPECT_GT(::write(fd, answer.data(), answer.size()), 0);
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kRelp, server.port()),
                  registry_, "agent-host");
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 2));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_TRUE(outcome.not_the_records);
  EXPECT_THAT(outcome.reason, HasSubstr("not a RELP frame"));
  EXPECT_EQ(failures("protocol"), 1);
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), 0);
}

TEST_F(SyslogSinkTest, ARelpServerWithoutTheSyslogCommandIsAProtocolFailure) {
  StandInServer server([](int fd) {
    std::string buffer;
    if (accept_relp_open(fd, buffer, "other")) read_relp_frame(fd, buffer);
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kRelp, server.port()),
                  registry_, "agent-host");
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 2));
  EXPECT_EQ(outcome.kind, Kind::kRetry);
  EXPECT_TRUE(outcome.not_the_records);
  EXPECT_THAT(outcome.reason, HasSubstr("does not offer the syslog command"));
  EXPECT_EQ(failures("protocol"), 1);
}

// A server that refuses every record with one answer ("500 command disabled") is set up
// wrong: the sink holds, and no record becomes a dead letter.
TEST_F(SyslogSinkTest, ARelpServerRefusingEveryRecordHoldsTheSink) {
  std::mutex mutex;
  std::vector<std::string> received;
  StandInServer server([&](int fd) {
    serve_relp(
        fd, mutex, received, [](const std::string&) { return "500 command disabled"; }, 0);
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kRelp, server.port()),
                  registry_, "agent-host");
  const SinkWriteOutcome outcome =
      write(sink, make_loki_test_batch({make_loki_test_container("web")}, 3));
  EXPECT_EQ(outcome.kind, Kind::kHold);
  EXPECT_EQ(outcome.hold_cause, SinkHoldCause::kMisconfiguration);
  EXPECT_THAT(outcome.reason, HasSubstr("500 command disabled"));
  EXPECT_TRUE(outcome.refused_records.empty());
}

// A server that takes the connection down whenever one record is sent (a RELP server aborting
// on a message too large for it): the retries judge the records after 3 such breaks, so that
// the sink's retry.limit can end it, instead of retrying them forever as not theirs.
TEST_F(SyslogSinkTest, BreaksWhileTheSameRecordsAreSentEndUpJudgingThem) {
  std::mutex mutex;
  std::vector<std::string> received;
  StandInServer server([&](int fd) {
    std::string buffer;
    if (!accept_relp_open(fd, buffer)) return;
    while (const auto frame = read_relp_frame(fd, buffer)) {
      if (frame->data.find("poison") != std::string::npos) return;  // aborts the session
      answer_relp(fd, frame->txnr, "200 OK");
    }
  });
  SyslogSink sink("syslog", options_for(SyslogSinkOptions::Protocol::kRelp, server.port()),
                  registry_, "agent-host");
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 3);
  batch[1].message = "poison";
  for (int i = 1; i <= 3; ++i) {
    const SinkWriteOutcome outcome = write(sink, batch);
    EXPECT_EQ(outcome.kind, Kind::kRetry);
    EXPECT_EQ(outcome.not_the_records, i < 3) << i;
    if (i == 3) {
      EXPECT_THAT(outcome.reason, HasSubstr("may be refusing them"));
    }
  }
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), 1);  // the first, before it
}

// A server that reads slowly: the sink follows its progress, confirming what its TCP
// acknowledged as it goes, and gives up only after write_timeout without any.
TEST_F(SyslogSinkTest, ASlowTcpServerIsFollowedWhileItReads) {
  std::atomic<std::size_t> read_bytes = 0;
  StandInServer server([&](int fd) {
    const int small = 32 * 1024;
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &small, sizeof(small));
    char chunk[16 * 1024];
    for (ssize_t count; (count = ::read(fd, chunk, sizeof(chunk))) > 0;) {
      read_bytes += static_cast<std::size_t>(count);
      std::this_thread::sleep_for(std::chrono::milliseconds(5));  // ~3 MB/s
    }
  });
  SyslogSinkOptions options = options_for(SyslogSinkOptions::Protocol::kTcp, server.port());
  options.write_timeout = std::chrono::milliseconds(800);  // less than the whole batch takes
  SyslogSink sink("syslog", options, registry_, "agent-host");
  auto batch = make_loki_test_batch({make_loki_test_container("web")}, 400);
  for (auto& record : batch) record.message += std::string(10 * 1024, 'x');  // 4 MiB in all
  const auto start = std::chrono::steady_clock::now();
  const SinkWriteOutcome outcome = write(sink, batch);
  ASSERT_EQ(outcome.kind, Kind::kDelivered) << outcome.reason;
  EXPECT_GT(std::chrono::steady_clock::now() - start, options.write_timeout);
  EXPECT_EQ(metric("log_capturer_sink_records_written_total"), batch.size());
}

// A lane stopping while a write waits on a server that reads nothing: the write ends by the
// lane's deadline, not write_timeout's, and delivers no more than the server took.
TEST_F(SyslogSinkTest, AStoppingLaneCutsAStuckWriteShortByItsDeadline) {
  for (const auto protocol :
       {SyslogSinkOptions::Protocol::kTcp, SyslogSinkOptions::Protocol::kRelp}) {
    std::atomic<bool> release = false;
    StandInServer server([&](int fd) {
      std::string buffer;
      if (protocol == SyslogSinkOptions::Protocol::kRelp) {
        accept_relp_open(fd, buffer);
      }
      while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(10));  // reads none
    });
    SyslogSinkOptions options = options_for(protocol, server.port());
    options.write_timeout = std::chrono::seconds(30);
    SyslogSink sink("syslog", options, registry_, "agent-host");
    auto batch = make_loki_test_batch({make_loki_test_container("web")}, 800);
    for (auto& record : batch) record.message += std::string(10 * 1024, 'x');  // 8 MiB
    std::optional<SinkWriteOutcome> outcome;
    boost::asio::co_spawn(
        io_, [&]() -> boost::asio::awaitable<void> { outcome = co_await sink.write(batch); },
        boost::asio::detached);
    boost::asio::steady_timer stop(io_, std::chrono::milliseconds(300));
    stop.async_wait([&](const boost::system::error_code&) {
      sink.stop_waiting_by(std::chrono::steady_clock::now() + std::chrono::milliseconds(200));
    });
    const auto start = std::chrono::steady_clock::now();
    io_.restart();
    while (!outcome && std::chrono::steady_clock::now() - start < std::chrono::seconds(10)) {
      io_.run_for(std::chrono::milliseconds(20));
    }
    release = true;
    ASSERT_TRUE(outcome.has_value()) << "the write still ran 10 s after the lane stopped";
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
    EXPECT_EQ(outcome->kind, Kind::kRetry);
    EXPECT_THAT(outcome->reason, HasSubstr("the agent is stopping"));
    // RELP: none answered. TCP: what the server's kernel took into its buffer (acknowledged,
    // so delivered by TCP's meaning), never the rest.
    const double written = metric("log_capturer_sink_records_written_total");
    if (protocol == SyslogSinkOptions::Protocol::kRelp) {
      EXPECT_EQ(written, 0);
    } else {
      EXPECT_LT(written, batch.size() / 4);
    }
  }
}

// rsyslog restarted (SIGTERM, then started again) while batches flow: over RELP every record
// arrives (a few twice at most: those resent), over TCP the missing ones are at most those
// counted at risk.
class SyslogRestartTest : public SyslogSinkTest,
                          public ::testing::WithParamInterface<SyslogSinkOptions::Protocol> {};

TEST_P(SyslogRestartTest, RsyslogRestartedMidStream) {
  RsyslogServer server;
  const bool relp = GetParam() == SyslogSinkOptions::Protocol::kRelp;
  SyslogSink sink("syslog", options_for(GetParam(), relp ? server.relp_port() : server.tcp_port()),
                  registry_, "agent-host");
  std::vector<std::vector<LogRecord>> batches;
  for (int i = 0; i < 40; ++i) {
    batches.push_back(make_loki_test_batch({make_loki_test_container("batch" + std::to_string(i))},
                                           250, testing::kLokiTestBaseTime + i * 1'000'000'000LL));
  }
  std::atomic<bool> restarted = false;
  std::thread restarter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    server.restart();
    restarted = true;
  });
  for (const auto& batch : batches) {
    write_until_delivered(sink, batch, 400);
    std::this_thread::sleep_for(std::chrono::milliseconds(restarted ? 0 : 10));
  }
  restarter.join();
  ASSERT_TRUE(restarted);

  std::size_t total = 0;
  std::set<std::string> sent;
  for (const auto& batch : batches) {
    for (const auto& record : batch) sent.insert(record.message);
    total += batch.size();
  }
  const double resent = metric("log_capturer_syslog_records_resent_total");
  const double at_risk = metric("log_capturer_syslog_records_at_risk_total");
  server.wait_for(total, std::chrono::seconds(5));
  const auto counts = arrivals(server.messages());
  std::size_t missing = 0, duplicates = 0;
  for (const auto& message : sent) {
    const auto found = counts.find(message);
    if (found == counts.end()) {
      ++missing;
    } else {
      duplicates += found->second - 1;
    }
  }
  EXPECT_GE(failures("closed") + failures("connect"), 1) << "the restart was not seen";
  EXPECT_LE(duplicates, resent);
  if (relp) {
    EXPECT_EQ(missing, 0u);
  } else {
    EXPECT_LE(missing, at_risk);
  }
  std::cout << "missing " << missing << ", at risk " << at_risk << ", duplicates " << duplicates
            << ", resent " << resent << "\n";
}

INSTANTIATE_TEST_SUITE_P(Protocols, SyslogRestartTest,
                         ::testing::Values(SyslogSinkOptions::Protocol::kTcp,
                                           SyslogSinkOptions::Protocol::kRelp),
                         [](const auto& info) {
                           return info.param == SyslogSinkOptions::Protocol::kRelp ? "Relp" : "Tcp";
                         });

}  // namespace
}  // namespace lc
