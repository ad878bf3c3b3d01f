#include "topology/topology.hpp"

#include <gtest/gtest.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <filesystem>
#include <fstream>
#include <thread>

#include "config/config_loader.hpp"
#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "support/stored_lines.hpp"
#include "support/temp_directory.hpp"

namespace lc {
namespace {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

using testing::stored_lines;

// The agent's two loops around a topology, as Agent::run drives them.
class TopologyTest : public ::testing::Test {
 protected:
  TopologyTest() { std::filesystem::create_directories(dir_.path() + "/logs"); }

  AgentConfig config_with_files() {
    return parse_config_text("data_dir: " + dir_.path() +
                                 "/data\n"
                                 "inputs:\n  docker: {enabled: false}\n"
                                 "  app: {type: files, include: ['" +
                                 dir_.path() +
                                 "/logs/*.log'], poll_interval: 50ms}\n"
                                 "pipeline: {flush_interval: 20ms}\n",
                             "cfg.yaml");
  }

  void write_lines(int count) {
    std::ofstream file(dir_.path() + "/logs/app.log", std::ios::app);
    for (int i = 1; i <= count; ++i) file << "line " << i << '\n';
  }

  bool run_input_loop_until(const std::function<bool()>& done) {
    const auto give_up = Clock::now() + std::chrono::seconds(10);
    while (!done() && Clock::now() < give_up) {
      input_loop_.run_for(std::chrono::milliseconds(10));
      if (input_loop_.stopped()) input_loop_.restart();
    }
    return done();
  }

  testing::TempDirectory dir_;
  MetricsRegistry metrics_;
  HealthRegistry health_;
  asio::io_context input_loop_{1};
  asio::io_context sink_loop_{1};
};

TEST_F(TopologyTest, BuildsStartsDeliversAndDrainsOneConfiguration) {
  write_lines(3);
  const AgentConfig config = config_with_files();
  {
    Topology topology(config, metrics_, health_, input_loop_, sink_loop_, nullptr);
    auto work = asio::make_work_guard(sink_loop_);
    std::thread sink_thread([&] { sink_loop_.run(); });
    topology.start();
    const std::string store = dir_.path() + "/data/store";
    EXPECT_TRUE(run_input_loop_until([&] { return stored_lines(store) >= 3; }));
    EXPECT_EQ(topology.describe_sinks(), "file_store (store in " + store + ")");
    EXPECT_EQ(topology.containers_json(), "[]");  // no docker input
    EXPECT_EQ(topology.inputs_status().dump(),
              R"([{"active_streams":0,"name":"app","type":"files"}])");
    topology.drain(Clock::now() + std::chrono::seconds(5));
    EXPECT_TRUE(run_input_loop_until([&] { return topology.drained(); }));
    asio::post(sink_loop_, [&] { topology.stop_saver(); });
    work.reset();
    sink_thread.join();
    EXPECT_TRUE(topology.finish(Clock::now() + std::chrono::seconds(5)));
    EXPECT_EQ(stored_lines(store), 3u);
  }
  // Its checkpoint holds the file's place: a second topology reads only what came after.
  write_lines(2);
  Topology again(config, metrics_, health_, input_loop_, sink_loop_, nullptr);
  auto work = asio::make_work_guard(sink_loop_);
  sink_loop_.restart();
  std::thread sink_thread([&] { sink_loop_.run(); });
  again.start();
  const std::string store = dir_.path() + "/data/store";
  EXPECT_TRUE(run_input_loop_until([&] { return stored_lines(store) >= 5; }));
  again.drain(Clock::now() + std::chrono::seconds(5));
  EXPECT_TRUE(run_input_loop_until([&] { return again.drained(); }));
  asio::post(sink_loop_, [&] { again.stop_saver(); });
  work.reset();
  sink_thread.join();
  EXPECT_TRUE(again.finish(Clock::now() + std::chrono::seconds(5)));
  EXPECT_EQ(stored_lines(store), 5u);  // 3 + 2: nothing read twice
}

TEST_F(TopologyTest, AComponentThatCannotBeBuiltSaysWhichWithAnExitCode) {
  AgentConfig config = config_with_files();
  config.routes.push_back(RouteConfig{{}, {"nowhere"}});  // past the loader's checks
  try {
    Topology topology(config, metrics_, health_, input_loop_, sink_loop_, nullptr);
    ADD_FAILURE() << "built";
  } catch (const TopologyError& error) {
    EXPECT_EQ(error.exit_code(), 2);
    EXPECT_STREQ(error.what(), "pipeline: routes: no enabled sink is named nowhere");
  }
}

}  // namespace
}  // namespace lc
