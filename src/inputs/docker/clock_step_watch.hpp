#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>

#include "core/clock_step_detector.hpp"
#include "core/task_count.hpp"

namespace lc {
class Counter;
class MetricsRegistry;
}  // namespace lc

namespace lc::docker_input {

// Checks every few seconds whether the wall clock was stepped, and counts and logs it
// (log_capturer_clock_steps_total{direction}): Docker stamps with the wall clock, so after a
// step back an API-mode resume by timestamp may skip lines stamped before the delivered ones.
class ClockStepWatch {
 public:
  ClockStepWatch(boost::asio::any_io_executor executor, MetricsRegistry& metrics,
                 std::chrono::milliseconds interval = std::chrono::seconds(5));
  void start(TaskCount& tasks);
  void stop();  // the task ends at once

 private:
  boost::asio::awaitable<void> run();
  void report(const ClockStepDetector::Reading& reading);

  boost::asio::steady_timer timer_;
  const std::chrono::milliseconds interval_;
  ClockStepDetector detector_;
  Counter& backward_;
  Counter& forward_;
  bool stopping_ = false;
};

}  // namespace lc::docker_input
