// The client's pool, timeouts and error paths against a scripted server: the situations a real
// engine does not produce on demand.
#include <gtest/gtest.h>

#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <string>

#include "docker/docker_client.hpp"
#include "docker/docker_client_metrics.hpp"
#include "docker_test_support.hpp"
#include "fake_docker_server.hpp"
#include "metrics/metrics_registry.hpp"

namespace lc::docker {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::run_bounded;

constexpr const char* kInspectBody = R"({"Id":"abc","Name":"/web","Config":{"Image":"img"}})";

FakeResponse engine(const std::string& target) {
  if (target == "/version") return FakeResponse{.body = R"({"ApiVersion":"1.41"})"};
  if (target.find("/containers/json") != std::string::npos) {
    return FakeResponse{.body = R"([{"Id":"abc","Names":["/web"],"State":"running"}])"};
  }
  return FakeResponse{.body = kInspectBody};
}

class DockerClientPoolTest : public ::testing::Test {
 protected:
  std::unique_ptr<DockerClient> make_client(FakeDockerServer& server) {
    config_.host = server.host();
    return make_docker_client(io_.get_executor(), config_, registry_);
  }

  asio::io_context io_;
  MetricsRegistry registry_;
  DockerClientMetrics metrics_ = DockerClientMetrics::register_on(registry_);
  DockerConfig config_;
};

TEST_F(DockerClientPoolTest, VersionPrefixesEveryPath) {
  FakeDockerServer server(io_, engine);
  auto client = make_client(server);
  const auto metadata = run_bounded(io_, client->inspect_container("abc"));
  ASSERT_TRUE(metadata);
  EXPECT_EQ(metadata->name, "web");
  EXPECT_EQ(server.stats().targets,
            (std::vector<std::string>{"/version", "/v1.41/containers/abc/json"}));
  EXPECT_EQ(server.stats().accepted, 1u);
}

TEST_F(DockerClientPoolTest, ConfiguredApiVersionSkipsNegotiation) {
  FakeDockerServer server(io_, engine);
  config_.api_version = "1.40";
  auto client = make_client(server);
  EXPECT_EQ(run_bounded(io_, client->negotiate_version()), "1.40");
  const auto containers = run_bounded(io_, client->list_containers(true));
  ASSERT_EQ(containers.size(), 1u);
  EXPECT_EQ(containers[0].name, "web");
  EXPECT_EQ(server.stats().targets, (std::vector<std::string>{"/v1.40/containers/json?all=1"}));
}

TEST_F(DockerClientPoolTest, MalformedVersionIsAnError) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.body = R"({"ApiVersion":"1.41/../../x"})"};
  });
  auto client = make_client(server);
  EXPECT_THROW(run_bounded(io_, client->negotiate_version()), std::runtime_error);
  EXPECT_EQ(metrics_.http.errors.value(), 1u);
}

TEST_F(DockerClientPoolTest, RequestTimeoutEndsTheCallAndDiscardsTheConnection) {
  FakeDockerServer server(io_,
                          [](const std::string&) { return FakeResponse{.never_answer = true}; });
  config_.request_timeout = 200ms;
  config_.api_version = "1.41";
  auto client = make_client(server);
  const auto started = std::chrono::steady_clock::now();
  try {
    run_bounded(io_, client->inspect_container("abc"), 5s);
    FAIL() << "no timeout";
  } catch (const boost::system::system_error& error) {
    EXPECT_EQ(error.code(), boost::system::errc::timed_out);
    EXPECT_NE(std::string(error.what()).find("GET /v1.41/containers/abc/json"), std::string::npos)
        << error.what();
  }
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_GE(elapsed, 200ms);
  EXPECT_LT(elapsed, 2s);
  EXPECT_EQ(metrics_.http.requests.value(), 1u);
  EXPECT_EQ(metrics_.http.errors.value(), 1u);
  EXPECT_EQ(metrics_.http.active_connections.value(), 0);
  EXPECT_EQ(metrics_.http.idle_connections.value(), 0);
  // The server sees the abandoned connection closed.
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (server.stats().peer_closed == 0 && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(50ms);
  }
  EXPECT_EQ(server.stats().peer_closed, 1u);
}

TEST_F(DockerClientPoolTest, ServerErrorThrowsDockerMessageAndCountsAnError) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.status = 500, .body = R"({"message":"daemon exploded"})"};
  });
  config_.api_version = "1.41";
  auto client = make_client(server);
  try {
    run_bounded(io_, client->inspect_container("abc"));
    FAIL() << "no error";
  } catch (const DockerApiError& error) {
    EXPECT_EQ(error.status, 500u);
    EXPECT_STREQ(error.what(),
                 "Docker API GET /v1.41/containers/abc/json: 500 Internal Server Error: daemon "
                 "exploded");
  }
  EXPECT_EQ(metrics_.http.errors.value(), 1u);
}

TEST_F(DockerClientPoolTest, ClientErrorIsNotCountedAsAFailedCall) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.status = 400, .body = R"({"message":"bad parameter"})"};
  });
  config_.api_version = "1.41";
  auto client = make_client(server);
  EXPECT_THROW(run_bounded(io_, client->list_containers(false)), DockerApiError);
  EXPECT_EQ(metrics_.http.requests.value(), 1u);
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
  EXPECT_EQ(metrics_.http.idle_connections.value(), 1);  // the connection itself is fine
}

TEST_F(DockerClientPoolTest, ConnectionCloseAnswersAreNotReused) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.body = kInspectBody, .connection_close_header = true};
  });
  config_.api_version = "1.41";
  auto client = make_client(server);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(run_bounded(io_, client->inspect_container("abc")));
  EXPECT_EQ(metrics_.http.connections_opened.value(), 3u);
  EXPECT_EQ(server.stats().accepted, 3u);
  EXPECT_EQ(metrics_.http.idle_connections.value(), 0);
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
}

TEST_F(DockerClientPoolTest, StaleIdleConnectionIsRetriedOnAFreshOne) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.body = kInspectBody, .close_after = true};
  });
  config_.api_version = "1.41";
  auto client = make_client(server);
  EXPECT_TRUE(run_bounded(io_, client->inspect_container("abc")));
  // Let the server's close reach the idle connection.
  const auto deadline = std::chrono::steady_clock::now() + 200ms;
  while (std::chrono::steady_clock::now() < deadline) io_.run_one_for(20ms);
  EXPECT_TRUE(run_bounded(io_, client->inspect_container("abc")));
  EXPECT_EQ(metrics_.http.requests.value(), 2u);
  EXPECT_EQ(metrics_.http.errors.value(), 0u);
  EXPECT_EQ(metrics_.http.connections_opened.value(), 2u);
}

TEST_F(DockerClientPoolTest, CallersWaitWhenAllConnectionsAreBusy) {
  FakeDockerServer server(
      io_, [](const std::string&) { return FakeResponse{.body = kInspectBody, .delay = 30ms}; });
  config_.api_version = "1.41";
  config_.max_connections = 2;
  auto client = make_client(server);
  int succeeded = 0;
  auto call = [&]() -> asio::awaitable<void> {
    if (co_await client->inspect_container("abc")) ++succeeded;
  };
  auto all = [&]() -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    int finished = 0;
    for (int i = 0; i < 6; ++i) {
      asio::co_spawn(executor, call(), [&](std::exception_ptr error) {
        EXPECT_FALSE(error);
        ++finished;
      });
    }
    asio::steady_timer poll(executor);
    while (finished < 6) {
      poll.expires_after(5ms);
      co_await poll.async_wait(asio::use_awaitable);
    }
  };
  run_bounded(io_, all(), 5s);
  EXPECT_EQ(succeeded, 6);
  EXPECT_EQ(server.stats().max_open, 2u);
  EXPECT_EQ(metrics_.http.connections_opened.value(), 2u);
  EXPECT_EQ(metrics_.http.active_connections.value(), 0);
  EXPECT_EQ(metrics_.http.idle_connections.value(), 2);
}

TEST_F(DockerClientPoolTest, ACallerWaitingForAConnectionTimesOutToo) {
  FakeDockerServer server(io_,
                          [](const std::string&) { return FakeResponse{.never_answer = true}; });
  config_.api_version = "1.41";
  config_.max_connections = 1;
  config_.request_timeout = 150ms;
  auto client = make_client(server);
  std::vector<boost::system::error_code> errors;
  auto call = [&]() -> asio::awaitable<void> {
    try {
      co_await client->inspect_container("abc");
    } catch (const boost::system::system_error& error) {
      errors.push_back(error.code());
    }
  };
  auto both = [&]() -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, call(), asio::detached);
    co_await call();  // queued behind the first: its wait for a connection is what times out
    asio::steady_timer poll(executor);
    while (errors.size() < 2) {
      poll.expires_after(5ms);
      co_await poll.async_wait(asio::use_awaitable);
    }
  };
  run_bounded(io_, both(), 5s);
  // An abandoned connection is in the server's backlog until its accept handler runs: let it run
  // before counting, or it would be counted with the next call's connection.
  io_.restart();
  io_.run_for(50ms);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], boost::system::errc::timed_out);
  EXPECT_EQ(errors[1], boost::system::errc::timed_out);
  // Both deadlines fall at the same instant: when the first caller's timeout frees the slot
  // just before the waiter's own timer is handled, the waiter may open a connection it then
  // abandons (seen under the sanitizers with tests in parallel). Either way it times out.
  const std::size_t accepted = server.stats().accepted;
  EXPECT_GE(accepted, 1u);
  EXPECT_LE(accepted, 2u);
  EXPECT_EQ(metrics_.http.errors.value(), 2u);
  EXPECT_EQ(metrics_.http.active_connections.value(), 0);
  // The pool still works afterwards: the slot came back.
  EXPECT_THROW(run_bounded(io_, client->inspect_container("abc"), 5s), boost::system::system_error);
  io_.restart();
  io_.run_for(50ms);
  EXPECT_EQ(server.stats().accepted, accepted + 1);
}

// Shutdown with a hung engine: the calls in flight, and those waiting for a connection, end at
// once instead of after request_timeout (which outlasts shutdown_timeout), and no call starts.
TEST_F(DockerClientPoolTest, CancelAllEndsCallsInFlightAtOnce) {
  FakeDockerServer server(io_,
                          [](const std::string&) { return FakeResponse{.never_answer = true}; });
  config_.api_version = "1.41";
  config_.max_connections = 1;
  config_.request_timeout = 30s;
  auto client = make_client(server);
  std::vector<boost::system::error_code> errors;
  auto call = [&]() -> asio::awaitable<void> {
    try {
      co_await client->inspect_container("abc");
    } catch (const boost::system::system_error& error) {
      errors.push_back(error.code());
    }
  };
  auto cancel_when_sent = [&]() -> asio::awaitable<void> {
    auto executor = co_await asio::this_coro::executor;
    asio::co_spawn(executor, call(), asio::detached);
    asio::co_spawn(executor, call(), asio::detached);  // waits for the only connection
    asio::steady_timer poll(executor);
    while (server.stats().targets.empty()) {
      poll.expires_after(5ms);
      co_await poll.async_wait(asio::use_awaitable);
    }
    client->cancel_all();
    while (errors.size() < 2) {
      poll.expires_after(5ms);
      co_await poll.async_wait(asio::use_awaitable);
    }
  };
  const auto started = std::chrono::steady_clock::now();
  run_bounded(io_, cancel_when_sent(), 5s);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0], asio::error::operation_aborted);
  EXPECT_EQ(errors[1], asio::error::operation_aborted);
  EXPECT_EQ(metrics_.http.active_connections.value(), 0);
  EXPECT_THROW(run_bounded(io_, client->inspect_container("abc"), 5s), boost::system::system_error);
  EXPECT_EQ(server.stats().accepted, 1u);
}

TEST_F(DockerClientPoolTest, AStreamMayOutliveItsClient) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.chunks = {"one\n", "two\n"}, .chunk_delay = 10ms};
  });
  config_.api_version = "1.41";
  auto client = make_client(server);
  auto stream = run_bounded(io_, client->open_events());
  client.reset();
  auto read_all = [&]() -> asio::awaitable<std::string> {
    std::string all;
    char buffer[16];
    while (const auto n = co_await stream->read_some(std::span<char>(buffer, sizeof buffer))) {
      all.append(buffer, n);
    }
    co_return all;
  };
  EXPECT_EQ(run_bounded(io_, read_all(), 5s), "one\ntwo\n");
  stream.reset();
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
}

TEST_F(DockerClientPoolTest, IdleConnectionsCloseAfterTheIdleTimeout) {
  FakeDockerServer server(io_, engine);
  config_.api_version = "1.41";
  config_.idle_timeout = 100ms;
  auto client = make_client(server);
  EXPECT_TRUE(run_bounded(io_, client->inspect_container("abc")));
  EXPECT_EQ(metrics_.http.idle_connections.value(), 1);
  const auto deadline = std::chrono::steady_clock::now() + 2s;
  while (server.stats().peer_closed == 0 && std::chrono::steady_clock::now() < deadline) {
    io_.run_one_for(20ms);
  }
  EXPECT_EQ(server.stats().peer_closed, 1u);
  EXPECT_EQ(metrics_.http.idle_connections.value(), 0);
}

TEST_F(DockerClientPoolTest, StreamDeliversChunksAsTheyArriveAndEndsWithZero) {
  FakeDockerServer server(io_, [](const std::string&) {
    return FakeResponse{.chunks = {"first\n", "second\n", std::string(100, 'x')},
                        .chunk_delay = 20ms};
  });
  config_.api_version = "1.41";
  auto client = make_client(server);
  auto read_all = [&]() -> asio::awaitable<std::vector<std::string>> {
    LogsQuery query;
    query.since = 1'500'000'000'000'000'001;
    auto stream = co_await client->open_logs("abc", query);
    std::vector<std::string> reads;
    char buffer[64];
    for (;;) {
      const auto n = co_await stream->read_some(std::span<char>(buffer, sizeof buffer));
      if (n == 0) break;
      reads.emplace_back(buffer, n);
    }
    co_return reads;
  };
  const auto reads = run_bounded(io_, read_all(), 5s);
  ASSERT_EQ(reads.size(), 4u);  // each chunk as it came; the 100 bytes in two reads of <= 64
  EXPECT_EQ(reads[0], "first\n");
  EXPECT_EQ(reads[1], "second\n");
  EXPECT_EQ(reads[2] + reads[3], std::string(100, 'x'));
  EXPECT_EQ(server.stats().targets,
            (std::vector<std::string>{"/v1.41/containers/abc/logs?stdout=1&stderr=1&timestamps=1&"
                                      "follow=1&since=1500000000.000000001"}));
  EXPECT_EQ(metrics_.streams.opened.value(), 1u);
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
  EXPECT_EQ(metrics_.http.connections_opened.value(), 0u);  // streams are never pooled
}

TEST_F(DockerClientPoolTest, EventsUseTheContainerFilter) {
  FakeDockerServer server(io_, [](const std::string&) { return FakeResponse{.chunks = {"{}\n"}}; });
  config_.api_version = "1.41";
  auto client = make_client(server);
  run_bounded(io_, client->open_events());
  EXPECT_EQ(
      server.stats().targets,
      (std::vector<std::string>{"/v1.41/events?filters=%7B%22type%22%3A%5B%22container%22%5D%7D"}));
}

TEST_F(DockerClientPoolTest, StreamOpenTimesOutWhenTheHeadNeverComes) {
  FakeDockerServer server(io_,
                          [](const std::string&) { return FakeResponse{.never_answer = true}; });
  config_.api_version = "1.41";
  config_.request_timeout = 150ms;
  auto client = make_client(server);
  try {
    run_bounded(io_, client->open_events(), 5s);
    FAIL() << "no timeout";
  } catch (const boost::system::system_error& error) {
    EXPECT_EQ(error.code(), boost::system::errc::timed_out);
  }
  EXPECT_EQ(metrics_.streams.opened.value(), 1u);
  EXPECT_EQ(metrics_.streams.closed.value(), 1u);
  EXPECT_EQ(metrics_.streams.active.value(), 0);
}

TEST_F(DockerClientPoolTest, RefusedTcpConnectionIsACountedError) {
  std::string host;
  {
    FakeDockerServer server(io_, engine);
    host = server.host();
  }  // closed: nothing listens on that port now
  config_.host = host;
  config_.api_version = "1.41";
  auto client = make_docker_client(io_.get_executor(), config_, registry_);
  try {
    run_bounded(io_, client->list_containers(false), 5s);
    FAIL() << "no error";
  } catch (const boost::system::system_error& error) {
    EXPECT_EQ(error.code(), boost::system::errc::connection_refused);
    EXPECT_NE(std::string(error.what()).find("connect to Docker at " + host), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(metrics_.http.errors.value(), 1u);
  EXPECT_EQ(metrics_.http.active_connections.value(), 0);
}

}  // namespace
}  // namespace lc::docker
