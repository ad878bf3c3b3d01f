#pragma once

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <stdexcept>
#include <thread>

namespace lc::testing {

// An io_context run by its own thread, as the agent's input and sink loops are. join() stops
// the thread but keeps the io_context alive, so that objects holding its timers can still be
// destroyed afterwards (they must go before the io_context).
class LoopThread {
 public:
  LoopThread()
      : work_(boost::asio::make_work_guard(context_)), thread_([this] { context_.run(); }) {}
  ~LoopThread() { join(); }
  LoopThread(const LoopThread&) = delete;
  LoopThread& operator=(const LoopThread&) = delete;

  boost::asio::io_context& context() { return context_; }
  boost::asio::any_io_executor executor() { return context_.get_executor(); }
  std::thread::id id() const { return thread_.get_id(); }

  // Runs `work` on the loop's thread and returns its result (bounded: 10 s).
  template <typename Work>
  auto call(Work work) {
    auto task = std::make_shared<std::packaged_task<decltype(work())()>>(std::move(work));
    auto result = task->get_future();
    boost::asio::post(context_, [task] { (*task)(); });
    if (result.wait_for(std::chrono::seconds(10)) != std::future_status::ready) {
      throw std::runtime_error("loop thread did not run the call within 10 s");
    }
    return result.get();
  }

  void join() {
    if (!thread_.joinable()) return;
    work_.reset();
    context_.stop();
    thread_.join();
  }

 private:
  boost::asio::io_context context_{1};
  boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
  std::thread thread_;
};

// Polls `condition` until it holds or `limit` passes; true when it held.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto give_up = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() >= give_up) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

}  // namespace lc::testing
