#include "topology/topology_runner.hpp"

#include <pthread.h>
#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace lc {

namespace asio = boost::asio;

TopologyRunner::TopologyRunner(const AgentConfig& config, MetricsRegistry& metrics,
                               HealthRegistry& health, DeadLetterStore* dead_letters)
    : topology_(std::make_unique<Topology>(config, metrics, health, input_loop_, sink_loop_,
                                           dead_letters)),
      shutdown_timeout_(config.shutdown_timeout) {}

TopologyRunner::~TopologyRunner() { stop(shutdown_timeout_); }

void TopologyRunner::start() {
  if (started_) return;
  started_ = true;
  sink_work_.emplace(asio::make_work_guard(sink_loop_));
  // Kept until stop(): an input loop with nothing to do yet must not return early.
  input_work_.emplace(asio::make_work_guard(input_loop_));
  // Named so that top -H, /proc/<pid>/task and perf tell them apart.
  sink_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lc-sinks");
    sink_loop_.run();
  });
  topology_->start();  // before the input thread: nothing runs on its loop yet (may throw)
  input_thread_ = std::thread([this] {
    pthread_setname_np(pthread_self(), "lc-inputs");
    input_loop_.run();
  });
}

// The inputs stop, the pipeline delivers until the deadline; then every task ends by itself
// and the loop returns with no handler left behind (a frame destroyed later could touch freed
// components). Tasks that outlive the deadline are abandoned with the loop.
void TopologyRunner::drain_on_input_loop(Clock::duration timeout) {
  topology_->drain(Clock::now() + timeout);
  asio::co_spawn(
      input_loop_,
      [this, timeout]() -> asio::awaitable<void> {
        asio::steady_timer poll(input_loop_);
        const auto give_up = Clock::now() + timeout + std::chrono::seconds(5);
        auto report_at = Clock::now() + std::chrono::seconds(3);
        while (!topology_->drained() && Clock::now() < give_up) {
          if (Clock::now() >= report_at) {  // a slow drain says what it waits for
            spdlog::info("stopping: waiting for {}", topology_->waiting_for());
            report_at += std::chrono::seconds(3);
          }
          poll.expires_after(std::chrono::milliseconds(20));
          co_await poll.async_wait(asio::use_awaitable);
        }
        if (Clock::now() >= give_up) {
          spdlog::warn("stopping: tasks still running after the deadline; stopping anyway");
          forced_stop_ = true;
          input_loop_.stop();
        }
      },
      asio::detached);
}

bool TopologyRunner::stop(Clock::duration timeout) {
  if (!started_ || stopped_) return !forced_stop_;
  stopped_ = true;
  asio::post(input_loop_, [this, timeout] { drain_on_input_loop(timeout); });
  input_work_.reset();
  // A start() that threw before the input thread ran leaves its loop to this thread.
  if (input_thread_.joinable()) {
    input_thread_.join();
  } else {
    input_loop_.run();
  }
  if (forced_stop_) {
    // Tasks left suspended would be destroyed with the loop, after the components they use:
    // give those already cancelled (Docker calls, closed servers) a moment to end first.
    input_loop_.restart();
    input_loop_.run_for(std::chrono::seconds(1));
  }
  asio::post(sink_loop_, [this] { topology_->stop_saver(); });
  sink_work_.reset();
  sink_thread_.join();
  const bool saved = topology_->finish(Clock::now() + std::chrono::seconds(5));
  return saved && !forced_stop_;
}

}  // namespace lc
