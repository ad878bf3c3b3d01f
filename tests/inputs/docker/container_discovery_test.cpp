#include "inputs/docker/container_discovery.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>

#include "inputs/docker/docker_input_harness.hpp"

namespace lc::docker_input {
namespace {

using namespace std::chrono_literals;
using testing::DockerInputHarness;

const std::string kWeb(64, 'a');
const std::string kJob(64, 'b');

std::string json_line(const std::string& message, int nanos) {
  char time[64];
  std::snprintf(time, sizeof time, "2026-01-01T00:00:00.%09dZ", nanos);
  return R"({"log":")" + message + R"(\n","stream":"stdout","time":")" + time + "\"}\n";
}

class ContainerDiscoveryTest : public ::testing::Test, protected DockerInputHarness {
 protected:
  ContainerDiscoveryTest() { config_.mode = DockerInputConfig::Mode::kFile; }
  ~ContainerDiscoveryTest() override {
    if (discovery_) {
      discovery_->stop();
      run_until([&] { return discovery_->active_streams() == 0; });
      // Every task of the discovery and its followers ends, and says so (a reload that
      // rebuilds the input destroys it only then).
      EXPECT_TRUE(run_until([&] { return tasks_.running() == 0; }));
    }
  }

  // A running container whose json-file log the agent reads.
  void add_container(const std::string& id, const std::string& name) {
    ContainerMetadata container;
    container.id = id;
    container.name = name;
    container.image = "shop/" + name;
    container.running = true;
    container.started_at = "2026-01-01T00:00:00Z";
    container.log_driver = "json-file";
    container.log_path = dir_ / (id + "-json.log");
    std::ofstream(container.log_path, std::ios::app).flush();
    client_.containers[id] = container;
  }
  void append_log(const std::string& id, const std::string& message, int nanos) {
    std::ofstream(dir_ / (id + "-json.log"), std::ios::app) << json_line(message, nanos);
  }

  void start(ReconnectBackoff backoff = {1ms, 2ms}) {
    discovery_ = std::make_unique<ContainerDiscovery>(io_.get_executor(), client_, *pipeline_,
                                                      tracker_, config_, registry_, health_,
                                                      watcher_, file_metrics_, tasks_, backoff);
    discovery_->start();
  }

  TaskCount tasks_;
  std::unique_ptr<ContainerDiscovery> discovery_;
};

TEST_F(ContainerDiscoveryTest, ResyncAfterAnEventsOutageEndsFollowersOfRemovedContainers) {
  add_container(kWeb, "web");
  add_container(kJob, "job");
  append_log(kWeb, "web first", 1);
  append_log(kJob, "job first", 2);
  start();
  ASSERT_TRUE(delivered("web first"));
  ASSERT_TRUE(delivered("job first"));
  ASSERT_EQ(discovery_->active_streams(), 2u);
  ASSERT_TRUE(run_until([&] { return tracker_.position(kWeb).has_value(); }));

  // The events stream goes down; meanwhile web writes its last line and is removed.
  client_.engine_down = true;
  client_.events->end();
  append_log(kWeb, "web last", 3);
  client_.containers.erase(kWeb);
  run_until([] { return false; }, 20ms);
  client_.engine_down = false;

  // The resync that follows the reconnect ends web's follower after its last line, and its
  // checkpoint goes with it; job goes on.
  ASSERT_TRUE(run_until([&] { return client_.events_opened == 2; }));
  ASSERT_TRUE(delivered("web last"));
  EXPECT_TRUE(run_until([&] { return discovery_->active_streams() == 1; }));
  EXPECT_TRUE(run_until([&] { return !tracker_.position(kWeb).has_value(); }));
  append_log(kJob, "job second", 4);
  EXPECT_TRUE(delivered("job second"));
  EXPECT_TRUE(tracker_.position(kJob).has_value());
}

TEST_F(ContainerDiscoveryTest, AFailedInspectOnAStartEventIsRetriedWithoutDroppingTheEvents) {
  start();
  ASSERT_TRUE(run_until([&] { return client_.events_opened == 1 && client_.lists == 1; }));

  add_container(kWeb, "web");
  append_log(kWeb, "hello", 1);
  client_.inspect_failures[kWeb] = 2;
  client_.send_event("start", kWeb);

  ASSERT_TRUE(delivered("hello"));
  EXPECT_EQ(discovery_->active_streams(), 1u);
  EXPECT_EQ(client_.inspects[kWeb], 3);
  // The events stream stayed up: no reconnect, no full list.
  EXPECT_EQ(client_.events_open_attempts, 1);
  EXPECT_EQ(client_.lists, 1);
  EXPECT_TRUE(health_.snapshot().at("docker").healthy);
}

TEST_F(ContainerDiscoveryTest, AFailedInspectDuringAResyncSkipsOnlyThatContainer) {
  add_container(kWeb, "web");
  add_container(kJob, "job");
  append_log(kWeb, "web first", 1);
  append_log(kJob, "job first", 2);
  client_.inspect_failures[kWeb] = 1;  // the first container listed
  start();
  ASSERT_TRUE(delivered("job first"));
  ASSERT_TRUE(delivered("web first"));  // inspected again on its own
  EXPECT_EQ(client_.events_open_attempts, 1);
  EXPECT_EQ(client_.lists, 1);
  EXPECT_EQ(discovery_->active_streams(), 2u);
}

TEST_F(ContainerDiscoveryTest, ReconnectsWithTheConfiguredBackoff) {
  // 30 failed opens in a row: with the configured 1..4 ms the agent is back within a few tens
  // of milliseconds; with the former built-in 250 ms..30 s it would take minutes.
  client_.events_failures = 30;
  start(ReconnectBackoff{1ms, 4ms});
  ASSERT_TRUE(run_until([&] { return client_.events_opened == 1; }, 2s))
      << client_.events_open_attempts << " attempts";
  EXPECT_EQ(client_.events_open_attempts, 31);
  EXPECT_TRUE(run_until([&] { return health_.snapshot().at("docker").healthy; }));
}

}  // namespace
}  // namespace lc::docker_input
