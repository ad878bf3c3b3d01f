#include "inputs/docker/clock_step_watch.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "metrics/metrics_registry.hpp"

namespace lc::docker_input {

namespace asio = boost::asio;

namespace {

constexpr std::int64_t kStepThresholdNs = 1'000'000'000;  // NTP slews far less than this

std::int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

Counter& steps(MetricsRegistry& metrics, const char* direction) {
  return metrics.counter("log_capturer_clock_steps_total",
                         "Wall clock steps seen (set back or forward by 1 s or more)",
                         {{"direction", direction}});
}

}  // namespace

ClockStepWatch::ClockStepWatch(asio::any_io_executor executor, MetricsRegistry& metrics,
                               std::chrono::milliseconds interval)
    : timer_(executor),
      interval_(interval),
      detector_(kStepThresholdNs, now_ns, monotonic_ns),
      backward_(steps(metrics, "backward")),
      forward_(steps(metrics, "forward")) {}

void ClockStepWatch::start(TaskCount& tasks) {
  asio::co_spawn(timer_.get_executor(), run(), tasks.track());
}

void ClockStepWatch::stop() {
  stopping_ = true;
  timer_.cancel();
}

asio::awaitable<void> ClockStepWatch::run() {
  while (!stopping_) {
    timer_.expires_after(interval_);
    boost::system::error_code ignored;
    co_await timer_.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    if (stopping_) break;
    report(detector_.check());
  }
}

void ClockStepWatch::report(const ClockStepDetector::Reading& reading) {
  const double seconds = static_cast<double>(reading.by_ns) / 1e9;
  if (reading.step == ClockStepDetector::Step::kBackward) {
    backward_.inc();
    spdlog::warn(
        "clock: the wall clock was set back by {:.3f} s; containers read through the Engine API "
        "resume by timestamp, so lines stamped before ones already delivered may be skipped at "
        "their next resume (json-file mode resumes by bytes and is not affected)",
        seconds);
  } else if (reading.step == ClockStepDetector::Step::kForward) {
    forward_.inc();
    spdlog::info("clock: the wall clock was set forward by {:.3f} s", seconds);
  }
}

}  // namespace lc::docker_input
