#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <optional>
#include <thread>

#include "topology/topology.hpp"

namespace lc {

// One Topology running on loops and threads of its own: "lc-inputs" (inputs, discovery,
// watchers) and "lc-sinks" (lanes, sinks, checkpoint saves). Owning the loops is what lets a
// topology be stopped and replaced while the process goes on (a reload): its input loop running
// out of work proves every one of its tasks has ended, as at shutdown, and joining the threads
// brings the thread count back to where it was.
class TopologyRunner {
 public:
  using Clock = std::chrono::steady_clock;

  // Builds the topology (throws TopologyError); nothing runs until start().
  TopologyRunner(const AgentConfig& config, MetricsRegistry& metrics, HealthRegistry& health,
                 DeadLetterStore* dead_letters);
  // Stops it (with the config's shutdown timeout) if stop() was not called.
  ~TopologyRunner();
  TopologyRunner(const TopologyRunner&) = delete;
  TopologyRunner& operator=(const TopologyRunner&) = delete;

  void start();
  // Stops reading, lets the sinks deliver what the pipeline holds until `timeout`, waits for
  // every task to end, stops the sinks and saves the checkpoints. False when the last save
  // failed or tasks had to be abandoned. Idempotent; from any thread but the runner's own.
  bool stop(Clock::duration timeout);

  // Runs `read` on the input loop, where the inputs' state lives, and waits up to `timeout`
  // for its answer; nullopt when the loop did not answer in time (stopping).
  template <typename T>
  std::optional<T> query(std::function<T(Topology&)> read,
                         Clock::duration timeout = std::chrono::seconds(2)) {
    auto answer = std::make_shared<std::promise<T>>();
    std::future<T> future = answer->get_future();
    boost::asio::post(input_loop_, [this, read = std::move(read), answer] {
      answer->set_value(read(*topology_));
    });
    if (future.wait_for(timeout) != std::future_status::ready) return std::nullopt;
    return future.get();
  }

  // For what may be read from any thread (the sinks' names, the dead-letter store) and for the
  // reload worker's changes in place.
  Topology& topology() { return *topology_; }

 private:
  void drain_on_input_loop(Clock::duration timeout);

  boost::asio::io_context input_loop_{1};
  boost::asio::io_context sink_loop_{1};
  std::unique_ptr<Topology> topology_;  // after the loops: destroyed before them
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      input_work_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>>
      sink_work_;
  std::thread input_thread_;
  std::thread sink_thread_;
  Clock::duration shutdown_timeout_;
  bool started_ = false;
  bool stopped_ = false;
  bool forced_stop_ = false;  // written on the input loop, read after joining its thread
};

}  // namespace lc
