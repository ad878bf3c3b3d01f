#pragma once

// A pipeline with two fake sinks ("fast" and "slow") on loops of their own, for the tests of
// the pipeline with several sinks, routes and processors, and of its reconfiguration.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/health_registry.hpp"
#include "metrics/metrics_registry.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/fake_sink.hpp"
#include "pipeline/loop_thread.hpp"
#include "pipeline/pipeline.hpp"

namespace lc::testing {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

inline const std::string kId(64, 'd');
inline constexpr TimestampNs kT0 = 1'700'000'000'000'000'000;

class MultiSinkPipelineTest : public ::testing::Test {
 protected:
  MultiSinkPipelineTest() {
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->id = kId;
    container_ = metadata;
    config_.memory_limit_bytes = 64 * 1024 * 1024;
    config_.batch_max_records = 10;
    config_.flush_interval = 5ms;
    config_.retry_initial = 1ms;
    config_.retry_max = 2ms;
    fast_ = std::make_unique<FakeSink>(sink_loop_.executor(), "fast");
    slow_ = std::make_unique<FakeSink>(sink_loop_.executor(), "slow");
  }

  ~MultiSinkPipelineTest() override {
    if (pipeline_ && !pipeline_->stopped()) {
      pipeline_->stop(Clock::now());
      fast_->open_gate();
      slow_->open_gate();
      for (const auto& sink : more_sinks_) sink->open_gate();
      eventually([&] { return pipeline_->stopped(); }, 5s);
    }
    input_loop_.join();
    sink_loop_.join();
    pipeline_.reset();
  }

  // Each sink's batch and retry keys default to config_'s (pipeline.*), as in a config file.
  void make_pipeline(std::optional<SinkDeliveryConfig> slow_delivery = {},
                     const Pipeline::Stages& stages = {}) {
    std::vector<SinkLane::Options> lanes;
    lanes.push_back(SinkLane::Options{*fast_, delivery_defaults(config_), nullptr});
    lanes.push_back(
        SinkLane::Options{*slow_, slow_delivery.value_or(delivery_defaults(config_)), nullptr});
    pipeline_ = std::make_unique<Pipeline>(
        config_, sink_loop_.executor(), std::move(lanes), tracker_, metrics_, health_,
        [this](const std::string& sink, const std::string& kind, const std::string& reason,
               std::span<const LogRecord> records) {
          std::lock_guard lock(mutex_);
          if (refuse_dead_letters_) return false;
          for (const LogRecord& record : records) {
            dead_letters_.push_back(sink + "/" + kind + "/" + reason + "/" + record.message);
          }
          return true;
        },
        stages);
    pipeline_->start();
  }

  std::vector<LogRecord> records(int first, int count, std::size_t size = 16) const {
    std::vector<LogRecord> out;
    for (int i = first; i < first + count; ++i) {
      LogRecord& r = out.emplace_back();
      r.container = container_;
      r.time = kT0 + i;
      r.message = "m" + std::to_string(i);
      r.message.resize(size, '.');
    }
    return out;
  }

  // Records of a container named `name` (its id: 64 times name's first letter).
  std::vector<LogRecord> records_of(const std::string& name, LogStream stream, int first, int count,
                                    const std::string& prefix = "m") {
    auto metadata = std::make_shared<ContainerMetadata>();
    metadata->id = std::string(64, name[0]);
    metadata->name = name;
    ContainerMetadataPtr container = containers_.emplace(name, metadata).first->second;
    std::vector<LogRecord> out;
    for (int i = first; i < first + count; ++i) {
      LogRecord& r = out.emplace_back();
      r.container = container;
      r.stream = stream;
      r.time = kT0 + i;
      r.message = prefix + std::to_string(i);
    }
    return out;
  }

  std::future<void> submit(std::vector<LogRecord> group) {
    return asio::co_spawn(
        input_loop_.context(),
        [this, group = std::move(group)]() mutable -> asio::awaitable<void> {
          tracker_.on_submitted(group.back().container->id, group.size(),
                                group.back().position_after());
          co_await pipeline_->submit(std::move(group));
        },
        asio::use_future);
  }

  FakeSink& another_sink(const std::string& name) {
    return *more_sinks_.emplace_back(std::make_unique<FakeSink>(sink_loop_.executor(), name));
  }

  double counter(const std::string& series) const {
    const std::string text = metrics_.render();
    const auto at = text.find("\n" + series + " ");
    return at == std::string::npos ? -1 : std::stod(text.substr(at + series.size() + 2));
  }

  PipelineConfig config_;
  ContainerMetadataPtr container_;
  std::map<std::string, ContainerMetadataPtr> containers_;
  MetricsRegistry metrics_;
  HealthRegistry health_;
  CheckpointTracker tracker_;
  LoopThread input_loop_;
  LoopThread sink_loop_;
  std::unique_ptr<FakeSink> fast_;
  std::unique_ptr<FakeSink> slow_;
  std::vector<std::unique_ptr<FakeSink>> more_sinks_;  // added by a test: outlive the pipeline
  std::unique_ptr<Pipeline> pipeline_;
  std::mutex mutex_;
  std::vector<std::string> dead_letters_;
  bool refuse_dead_letters_ = false;
};

inline RouteConfig route(std::vector<std::string> sinks, std::vector<std::string> names = {},
                         std::vector<std::string> streams = {}) {
  RouteConfig route;
  route.sinks = std::move(sinks);
  route.match.container_names = std::move(names);
  route.match.streams = std::move(streams);
  return route;
}

}  // namespace lc::testing
