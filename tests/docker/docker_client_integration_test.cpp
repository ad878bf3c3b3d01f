// Against the real Docker engine of the test environment (LC_TEST_DOCKER_HOST).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <cstring>
#include <string>
#include <thread>

#include "docker/docker_client.hpp"
#include "docker/docker_client_metrics.hpp"
#include "docker/docker_event.hpp"
#include "docker_test_support.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc::docker {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::docker_cli;
using testing::run_bounded;
using testing::TestContainer;

// Reads a stream until `enough` says so or the body ends; returns all bytes read.
asio::awaitable<std::string> read_until(DockerStream& stream,
                                        std::function<bool(const std::string&)> enough) {
  std::string all;
  char buffer[4096];
  while (!enough(all)) {
    const auto n = co_await stream.read_some(std::span<char>(buffer, sizeof buffer));
    if (n == 0) break;
    all.append(buffer, n);
  }
  co_return all;
}

struct Frame {
  unsigned stream;
  std::string payload;
};

// Test-only decoding of the 8-byte-header framing, checking every header byte.
std::vector<Frame> decode_frames(std::string_view bytes) {
  std::vector<Frame> frames;
  while (bytes.size() >= 8) {
    const auto* header = reinterpret_cast<const unsigned char*>(bytes.data());
    EXPECT_TRUE(header[0] == 1 || header[0] == 2) << int(header[0]);
    EXPECT_EQ(header[1], 0);
    EXPECT_EQ(header[2], 0);
    EXPECT_EQ(header[3], 0);
    const std::size_t length =
        (std::size_t{header[4]} << 24) | (header[5] << 16) | (header[6] << 8) | header[7];
    if (bytes.size() < 8 + length) break;
    frames.push_back(Frame{header[0], std::string(bytes.substr(8, length))});
    bytes.remove_prefix(8 + length);
  }
  EXPECT_TRUE(bytes.empty()) << "trailing partial frame of " << bytes.size() << " bytes";
  return frames;
}

class DockerClientIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const std::string host = testing::test_docker_host();
    if (host.empty()) {
      GTEST_FAIL() << "Docker integration tests need an engine: set LC_TEST_DOCKER_HOST "
                      "(e.g. unix:///tmp/dk/docker.sock, with image lc-busybox:test imported)";
    }
    config_.host = host;
    client_ = make_docker_client(io_.get_executor(), config_, registry_);
  }

  asio::io_context io_;
  MetricsRegistry registry_;
  DockerConfig config_;
  std::unique_ptr<DockerClient> client_;
  DockerClientMetrics metrics_ = DockerClientMetrics::register_on(registry_);
};

TEST_F(DockerClientIntegrationTest, NegotiatesApiVersion141) {
  EXPECT_EQ(run_bounded(io_, client_->negotiate_version()), "1.41");
  EXPECT_EQ(metrics_.http.requests.value(), 1u);
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
}

TEST_F(DockerClientIntegrationTest, ListSeesARunningContainer) {
  TestContainer container("", "sleep 60");
  const auto running = run_bounded(io_, client_->list_containers(false));
  const auto it = std::find_if(running.begin(), running.end(),
                               [&](const auto& c) { return c.id == container.id(); });
  ASSERT_NE(it, running.end());
  EXPECT_EQ(it->state, "running");
  EXPECT_EQ(it->image, "lc-busybox:test");
  EXPECT_FALSE(it->name.empty());
  EXPECT_NE(it->name.front(), '/');
}

TEST_F(DockerClientIntegrationTest, InspectReturnsMetadataAndNulloptForUnknownId) {
  const std::string name = "lc-test-inspect-" + std::to_string(::getpid());
  TestContainer container("--name " + name +
                              " --label com.docker.compose.project=shop"
                              " --label com.docker.compose.service=cart --label tier=web",
                          "sleep 60");
  const auto metadata = run_bounded(io_, client_->inspect_container(container.id()));
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->id, container.id());
  EXPECT_EQ(metadata->name, name);
  EXPECT_EQ(metadata->image, "lc-busybox:test");
  EXPECT_EQ(metadata->compose_project, "shop");
  EXPECT_EQ(metadata->compose_service, "cart");
  EXPECT_EQ(metadata->labels.at("tier"), "web");
  EXPECT_FALSE(metadata->tty);
  EXPECT_TRUE(metadata->running);
  EXPECT_EQ(metadata->log_driver, "json-file");
  EXPECT_TRUE(metadata->log_path.ends_with("/" + container.id() + "-json.log"))
      << metadata->log_path;

  EXPECT_FALSE(run_bounded(io_, client_->inspect_container("0123456789abcdef-no-such")));
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
}

TEST_F(DockerClientIntegrationTest, FollowedLogsDeliverFramedBytesUntilTheContainerExits) {
  TestContainer container("", "echo out-line-1; echo err-line-1 >&2; sleep 1; echo out-line-2");
  auto stream = run_bounded(io_, client_->open_logs(container.id(), LogsQuery{}));
  EXPECT_EQ(metrics_.streams.active.value(), 1);
  // follow=1 ends when the container exits: the read returns 0 at the end of the body.
  const auto bytes = run_bounded(io_, read_until(*stream, [](const auto&) { return false; }));
  const auto frames = decode_frames(bytes);
  ASSERT_EQ(frames.size(), 3u) << bytes;
  std::vector<std::string> seen;
  for (const auto& frame : frames) {
    // timestamps=1: "2026-11-23T05:47:31.612303924Z payload\n"
    const auto space = frame.payload.find(' ');
    ASSERT_NE(space, std::string::npos);
    EXPECT_EQ(space, 30u) << frame.payload;
    EXPECT_EQ(frame.payload[space - 1], 'Z');
    seen.push_back(std::to_string(frame.stream) + ":" + frame.payload.substr(space + 1));
  }
  std::sort(seen.begin(), seen.end());  // stdout and stderr may interleave either way
  EXPECT_EQ(seen, (std::vector<std::string>{"1:out-line-1\n", "1:out-line-2\n", "2:err-line-1\n"}));
  stream.reset();
  EXPECT_EQ(metrics_.streams.opened.value(), 1u);
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
}

TEST_F(DockerClientIntegrationTest, FollowDeliversBytesPromptly) {
  TestContainer container("", "echo first; sleep 60");
  auto stream = run_bounded(io_, client_->open_logs(container.id(), LogsQuery{}));
  const auto started = std::chrono::steady_clock::now();
  // The container keeps running: the line must arrive without waiting for more data.
  const auto bytes = run_bounded(
      io_, read_until(*stream, [](const std::string& b) { return b.find("first\n") != b.npos; }),
      5s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  const auto frames = decode_frames(bytes);
  ASSERT_EQ(frames.size(), 1u);
  EXPECT_EQ(frames[0].stream, 1u);
  EXPECT_TRUE(frames[0].payload.ends_with("Z first\n")) << frames[0].payload;
}

// The follow stream of ContainerLogStream starts at the log's end (tail=0): dockerd then
// watches for rotations from that instant. Lines already there are not sent.
TEST_F(DockerClientIntegrationTest, FollowWithTailZeroStartsAtTheLogsEnd) {
  TestContainer container("", "echo old; sleep 3; echo new; sleep 60");
  const auto has_old = [&] {
    LogsQuery plain_read;
    plain_read.follow = false;
    auto plain = run_bounded(io_, client_->open_logs(container.id(), plain_read));
    const auto bytes = run_bounded(io_, read_until(*plain, [](const auto&) { return false; }));
    return bytes.find("old\n") != std::string::npos;
  };
  for (int i = 0; i < 300 && !has_old(); ++i) std::this_thread::sleep_for(10ms);
  LogsQuery from_end;
  from_end.tail = 0;
  auto stream = run_bounded(io_, client_->open_logs(container.id(), from_end));
  const auto bytes = run_bounded(
      io_, read_until(*stream, [](const std::string& b) { return b.find("new\n") != b.npos; }),
      10s);
  const auto frames = decode_frames(bytes);
  ASSERT_EQ(frames.size(), 1u) << bytes;
  EXPECT_TRUE(frames[0].payload.ends_with("Z new\n")) << frames[0].payload;
}

TEST_F(DockerClientIntegrationTest, TtyLogsAreRaw) {
  TestContainer container("-t", "echo tty-hello; sleep 60");
  auto stream = run_bounded(io_, client_->open_logs(container.id(), LogsQuery{}));
  const auto bytes = run_bounded(
      io_, read_until(*stream, [](const std::string& b) { return b.find("tty-hello") != b.npos; }),
      5s);
  // No 8-byte header: the body starts with the timestamp, and the TTY turned \n into \r\n.
  ASSERT_GE(bytes.size(), 31u);
  EXPECT_TRUE(bytes[0] == '2' || bytes[0] == '1') << bytes;
  EXPECT_EQ(bytes.substr(30), " tty-hello\r\n");
}

TEST_F(DockerClientIntegrationTest, LogsOfUnknownContainerThrowDockerApiError) {
  try {
    run_bounded(io_, client_->open_logs("no-such-container-lc", LogsQuery{}));
    FAIL() << "no error";
  } catch (const DockerApiError& error) {
    EXPECT_EQ(error.status, 404u);
    EXPECT_NE(std::string(error.what()).find("No such container: no-such-container-lc"),
              std::string::npos)
        << error.what();
  }
  EXPECT_EQ(metrics_.streams.opened.value(), 1u);
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
}

TEST_F(DockerClientIntegrationTest, EventsSeeStartDieDestroyOfAContainer) {
  auto events = run_bounded(io_, client_->open_events());
  const std::string name = "lc-test-events-" + std::to_string(::getpid());
  // Blocking CLI call: the events wait in the socket meanwhile.
  docker_cli("run --rm --network none --name " + name + " lc-busybox:test true");

  std::vector<std::string> actions;
  std::string id;
  EventLineSplitter splitter;
  auto reader = [&]() -> asio::awaitable<void> {
    char buffer[1024];  // small on purpose: lines span reads
    while (std::find(actions.begin(), actions.end(), "destroy") == actions.end()) {
      const auto n = co_await events->read_some(std::span<char>(buffer, sizeof buffer));
      if (n == 0) break;
      splitter.feed(std::string_view(buffer, n), [&](std::string_view line) {
        const auto event = parse_docker_event(line);
        ASSERT_TRUE(event) << line;
        EXPECT_EQ(event->type, "container");  // the filter works
        if (event->name != name) return;
        id = event->id;
        EXPECT_GT(event->time, 1'600'000'000'000'000'000);
        actions.push_back(event->action);
      });
    }
  };
  run_bounded(io_, reader(), 10s);
  EXPECT_EQ(id.size(), 64u);
  const auto position = [&](const char* action) {
    return std::find(actions.begin(), actions.end(), action) - actions.begin();
  };
  ASSERT_LT(position("start"), static_cast<long>(actions.size()));
  ASSERT_LT(position("die"), static_cast<long>(actions.size()));
  ASSERT_LT(position("destroy"), static_cast<long>(actions.size()));
  EXPECT_LT(position("start"), position("die"));
  EXPECT_LT(position("die"), position("destroy"));
}

TEST_F(DockerClientIntegrationTest, SequentialCallsReuseOnePooledConnection) {
  TestContainer container("", "sleep 60");
  auto calls = [&]() -> asio::awaitable<void> {
    for (int i = 0; i < 50; ++i) {
      const auto metadata = co_await client_->inspect_container(container.id());
      EXPECT_TRUE(metadata);
    }
  };
  run_bounded(io_, calls());
  // 50 inspects plus the version negotiation they triggered.
  EXPECT_EQ(metrics_.http.requests.value(), 51u);
  EXPECT_LE(metrics_.http.connections_opened.value(), 2u);
  EXPECT_GE(metrics_.http.connections_opened.value(), 1u);
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
  EXPECT_EQ(metrics_.http.active_connections.value(), 0);
  EXPECT_EQ(metrics_.http.idle_connections.value(), 1);
  client_->close_idle();
  EXPECT_EQ(metrics_.http.idle_connections.value(), 0);
  const auto text = registry_.render();
  EXPECT_NE(text.find("log_capturer_docker_http_requests_total 51"), std::string::npos) << text;
}

TEST_F(DockerClientIntegrationTest, CloseDuringPendingReadAbortsTheRead) {
  TestContainer container("", "sleep 60");  // prints nothing: the read stays pending
  auto stream = run_bounded(io_, client_->open_logs(container.id(), LogsQuery{}));
  ASSERT_EQ(metrics_.streams.active.value(), 1);
  auto scenario = [&]() -> asio::awaitable<boost::system::error_code> {
    auto executor = co_await asio::this_coro::executor;
    asio::steady_timer later(executor, 100ms);
    later.async_wait([&](boost::system::error_code) { stream->close(); });
    char buffer[256];
    try {
      co_await stream->read_some(std::span<char>(buffer, sizeof buffer));
    } catch (const boost::system::system_error& error) {
      co_return error.code();
    }
    co_return boost::system::error_code();
  };
  const auto started = std::chrono::steady_clock::now();
  const auto error = run_bounded(io_, scenario(), 5s);
  EXPECT_EQ(error, asio::error::operation_aborted) << error.message();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  stream->close();  // again: harmless, not counted twice
  stream.reset();
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
}

TEST_F(DockerClientIntegrationTest, NonexistentSocketFailsQuicklyWithAClearError) {
  DockerConfig config;
  config.host = "unix:///tmp/lc-no-such-dir/docker.sock";
  MetricsRegistry registry;
  auto client = make_docker_client(io_.get_executor(), config, registry);
  auto metrics = DockerClientMetrics::register_on(registry);
  const auto started = std::chrono::steady_clock::now();
  try {
    run_bounded(io_, client->negotiate_version(), 5s);
    FAIL() << "no error";
  } catch (const boost::system::system_error& error) {
    EXPECT_EQ(error.code(), boost::system::errc::no_such_file_or_directory);
    EXPECT_NE(std::string(error.what())
                  .find("connect to Docker at unix:///tmp/lc-no-such-dir/docker.sock"),
              std::string::npos)
        << error.what();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1s);
  EXPECT_EQ(metrics.http.requests.value(), 1u);
  EXPECT_EQ(metrics.http.errors.value(), 1u);
  EXPECT_EQ(metrics.http.connections_opened.value(), 0u);
  EXPECT_EQ(metrics.http.active_connections.value(), 0);

  try {
    run_bounded(io_, client->open_events(), 5s);
    FAIL() << "no error";
  } catch (const boost::system::system_error& error) {
    EXPECT_EQ(error.code(), boost::system::errc::no_such_file_or_directory);
  }
  EXPECT_EQ(metrics.streams.opened.value(), 0u);
}

TEST_F(DockerClientIntegrationTest, FdCountReturnsToBaselineAfterManyStreams) {
  TestContainer container("", "echo x; sleep 60");
  run_bounded(io_, client_->negotiate_version());  // its pooled connection stays idle
  const auto baseline = testing::open_fd_count();
  auto cycles = [&]() -> asio::awaitable<void> {
    char buffer[512];
    for (int i = 0; i < 100; ++i) {
      auto stream = co_await client_->open_logs(container.id(), LogsQuery{});
      EXPECT_GT(co_await stream->read_some(std::span<char>(buffer, sizeof buffer)), 0u);
      if (i % 2 == 0) stream->close();  // the others close in the destructor
    }
  };
  run_bounded(io_, cycles(), 60s);
  EXPECT_EQ(testing::open_fd_count(), baseline);
  EXPECT_EQ(metrics_.streams.opened.value(), 100u);
  EXPECT_EQ(metrics_.streams.closed.value(), 100u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
}

}  // namespace
}  // namespace lc::docker
