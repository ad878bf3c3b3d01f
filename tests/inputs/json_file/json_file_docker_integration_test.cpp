// Against the real private engine (LC_TEST_DOCKER_HOST, else unix:///tmp/dk/docker.sock): a
// container whose json-file log rotates several times while the reader follows it.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "docker/docker_test_support.hpp"
#include "inputs/json_file/container_log_file_reader.hpp"
#include "inputs/json_file/file_change_watcher.hpp"
#include "json_file_test_support.hpp"

namespace lc::json_file {
namespace {

using namespace std::chrono_literals;
using docker::testing::docker_cli;
using docker::testing::TestContainer;

constexpr int kLines = 60000;

TEST(JsonFileDockerIntegration, FollowsARotatingLogEveryLineExactlyOnce) {
  if (docker::testing::test_docker_host().empty()) {
    FAIL() << "needs the test Docker engine: run through scripts/test (LC_TEST_DOCKER_HOST)";
  }
  testing::TempDir sync;
  ::chmod(sync.path().c_str(), 0777);
  // Waits for /sync/go so that the reader is attached before the first line; then ~8 MB of
  // json-file: with max-size=1m and max-file=3 about seven rotations. A 10 ms pause every
  // 1000 lines caps the writer near 10 MB/s: a reader slower than dockerd for the time of
  // max-file - 1 files loses lines to rotation whatever it does (sanitizer builds on a loaded
  // machine come close), and that is not what this test is about.
  const std::string script =
      "while [ ! -e /sync/go ]; do sleep 0.05; done; i=0; while [ $i -lt " +
      std::to_string(kLines) +
      " ]; do i=$((i+1)); echo \"line $i padding-padding-padding-padding-padding-padding-pad\"; "
      "[ $((i % 1000)) -eq 0 ] && usleep 10000; done; true";
  TestContainer container(
      "--log-opt max-size=1m --log-opt max-file=3 -v " + sync.path().string() + ":/sync", script);
  const std::string log_path = docker_cli("inspect -f '{{.LogPath}}' " + container.id());
  ASSERT_FALSE(log_path.empty());
  ASSERT_EQ(docker_cli("inspect -f '{{.HostConfig.LogConfig.Type}}' " + container.id()),
            "json-file");

  if (std::getenv("LC_TEST_DEBUG")) spdlog::set_level(spdlog::level::debug);
  boost::asio::io_context io;
  JsonFileLineParser parser;
  auto metadata = std::make_shared<ContainerMetadata>();
  metadata->id = container.id();
  ContainerLogFileReader reader(metadata, log_path, parser);
  FileChangeWatcher watcher(io.get_executor());
  std::vector<LogRecord> records;
  std::size_t max_fds = 0;
  const std::size_t fds_before = testing::open_fd_count();
  const auto drain = [&] {
    while (!reader.read_available(records, 1 << 20)) {
    }
    max_fds = std::max(max_fds, testing::open_fd_count());
  };
  const std::filesystem::path path(log_path);
  auto subscription = watcher.watch(path.parent_path().string(), path.filename().string(), drain);
  ASSERT_FALSE(subscription.polled());
  drain();
  testing::append(sync.file("go"), "");

  // Until every line is in, or the container has exited and its log is drained.
  const auto deadline = std::chrono::steady_clock::now() + 90s;
  auto next_state_check = std::chrono::steady_clock::now() + 1s;
  while (records.size() < kLines && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(50ms);
    if (std::chrono::steady_clock::now() > next_state_check) {
      next_state_check += 1s;
      if (docker_cli("inspect -f '{{.State.Running}}' " + container.id()) == "false") {
        drain();
        break;
      }
    }
  }
  std::size_t first_gap = records.size();
  for (std::size_t i = 0; i < records.size(); ++i) {
    const std::string expected =
        "line " + std::to_string(i + 1) + " padding-padding-padding-padding-padding-padding-pad";
    if (records[i].message != expected || records[i].invalid) {
      first_gap = i;
      break;
    }
  }
  ASSERT_EQ(first_gap, records.size())
      << "record " << first_gap << " is \"" << records[first_gap].message.substr(0, 20) << "\"";
  ASSERT_EQ(records.size(), static_cast<std::size_t>(kLines));
  EXPECT_GE(reader.counters().rotations, 5u);
  EXPECT_EQ(reader.counters().resume_lost, 0u);
  EXPECT_LE(max_fds, fds_before + 1);  // the reader's one fd (the watcher's was counted before)
  std::cout << "rotations followed: " << reader.counters().rotations
            << ", bytes read: " << reader.counters().bytes_read << "\n";
}

}  // namespace
}  // namespace lc::json_file
