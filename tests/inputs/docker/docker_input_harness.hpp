#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "config/agent_config.hpp"
#include "core/health_registry.hpp"
#include "inputs/docker/docker_input_metrics.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/docker/fake_docker_client.hpp"
#include "inputs/json_file/file_change_watcher.hpp"
#include "inputs/json_file/json_file_input_metrics.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/fake_sink.hpp"
#include "pipeline/loop_thread.hpp"
#include "pipeline/pipeline.hpp"
#include "support/temp_directory.hpp"

namespace lc::docker_input::testing {

// What the Docker input's tasks run against: a scripted engine, a real pipeline into a fake
// sink (on a thread of its own, as in the agent) and a real checkpoint tracker. The input side
// runs on the test's thread (run_until).
class DockerInputHarness {
 public:
  // `before_start`: changes the pipeline's settings or the sink before the pipeline starts.
  explicit DockerInputHarness(
      const std::function<void(PipelineConfig&, lc::testing::FakeSink&)>& before_start = {}) {
    pipeline_config_.flush_interval = std::chrono::milliseconds(1);
    pipeline_config_.retry_initial = std::chrono::milliseconds(1);
    pipeline_config_.retry_max = std::chrono::milliseconds(2);
    config_.stream_retry_initial = std::chrono::milliseconds(1);
    config_.stream_retry_max = std::chrono::milliseconds(2);
    config_.self_container_id = "not-in-a-container";
    sink_ = std::make_unique<lc::testing::FakeSink>(sink_loop_.executor());
    if (before_start) before_start(pipeline_config_, *sink_);
    pipeline_ = std::make_unique<Pipeline>(pipeline_config_, sink_loop_.executor(), *sink_,
                                           tracker_, registry_, health_);
    pipeline_->start();
  }
  ~DockerInputHarness() {
    pipeline_->stop(std::chrono::steady_clock::now() + std::chrono::seconds(5));
    lc::testing::eventually([&] { return pipeline_->stopped(); }, std::chrono::seconds(5));
    run_until([] { return false; }, std::chrono::milliseconds(5));  // failed submits unwind
    sink_loop_.join();
    pipeline_.reset();
  }

  bool run_until(const std::function<bool()>& done,
                 std::chrono::milliseconds limit = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
      if (io_.stopped()) io_.restart();
      io_.run_one_for(std::chrono::milliseconds(5));
    }
    return done();
  }
  bool delivered(const std::string& message) {
    return run_until([&] {
      for (const std::string& m : sink_->delivered()) {
        if (m == message) return true;
      }
      return false;
    });
  }

  boost::asio::io_context io_;
  lc::testing::TempDirectory dir_;
  MetricsRegistry registry_;
  HealthRegistry health_;
  CheckpointTracker tracker_;
  PipelineConfig pipeline_config_;
  DockerInputConfig config_;
  DockerInputMetrics metrics_{registry_};
  json_file::JsonFileInputMetrics file_metrics_{registry_};
  json_file::FileChangeWatcher watcher_{io_.get_executor()};
  FakeDockerClient client_{io_.get_executor()};
  lc::testing::LoopThread sink_loop_;
  std::unique_ptr<lc::testing::FakeSink> sink_;
  std::unique_ptr<Pipeline> pipeline_;
};

}  // namespace lc::docker_input::testing
