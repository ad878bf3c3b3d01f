#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "sinks/sink.hpp"

namespace lc::testing {

// A scriptable sink for the pipeline: answers each write with the next scripted outcome (then
// the default one), remembers every call, and can hold writes at a closed gate so that the
// test decides when the sink side makes progress. Runs on the sink executor like a real sink.
class FakeSink : public Sink {
 public:
  struct Call {
    std::vector<std::string> messages;
    SinkWriteOutcome::Kind answer;
    std::chrono::steady_clock::time_point at;
  };

  explicit FakeSink(boost::asio::any_io_executor executor, std::string name = "fake")
      : name_(std::move(name)), executor_(executor), gate_(executor) {}

  const std::string& name() const override { return name_; }

  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override {
    while (!open_) {
      gate_.expires_at(std::chrono::steady_clock::time_point::max());
      boost::system::error_code ignored;
      co_await gate_.async_wait(boost::asio::redirect_error(boost::asio::use_awaitable, ignored));
    }
    if (on_write) on_write(batch);
    std::lock_guard lock(mutex_);
    SinkWriteOutcome outcome = default_outcome_;
    if (!script_.empty()) {
      outcome = script_.front();
      script_.pop_front();
    }
    Call call{{}, outcome.kind, std::chrono::steady_clock::now()};
    for (const LogRecord& record : batch) call.messages.push_back(record.message);
    if (outcome.ok())
      delivered_.insert(delivered_.end(), call.messages.begin(), call.messages.end());
    calls_.push_back(std::move(call));
    co_return outcome;
  }

  // Set-up, before the pipeline runs.
  void script(std::vector<SinkWriteOutcome> outcomes) {
    std::lock_guard lock(mutex_);
    script_.assign(outcomes.begin(), outcomes.end());
  }
  void answer_by_default(SinkWriteOutcome outcome) {
    std::lock_guard lock(mutex_);
    default_outcome_ = std::move(outcome);
  }
  void close_gate() { open_ = false; }  // before start
  void open_gate() {
    boost::asio::post(executor_, [this] {
      open_ = true;
      gate_.cancel();
    });
  }
  // Called on the sink thread at each write that passed the gate, before answering.
  std::function<void(std::span<const LogRecord>)> on_write;

  std::vector<Call> calls() const {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  std::vector<std::string> delivered() const {
    std::lock_guard lock(mutex_);
    return delivered_;
  }
  std::size_t delivered_count() const {
    std::lock_guard lock(mutex_);
    return delivered_.size();
  }
  std::size_t call_count() const {
    std::lock_guard lock(mutex_);
    return calls_.size();
  }
  std::vector<std::size_t> batch_sizes() const {
    std::lock_guard lock(mutex_);
    std::vector<std::size_t> sizes;
    for (const Call& call : calls_) sizes.push_back(call.messages.size());
    return sizes;
  }

 private:
  const std::string name_;
  boost::asio::any_io_executor executor_;
  boost::asio::steady_timer gate_;  // sink thread only
  bool open_ = true;                // sink thread only (after set-up)
  mutable std::mutex mutex_;
  std::deque<SinkWriteOutcome> script_;
  SinkWriteOutcome default_outcome_ = SinkWriteOutcome::delivered();
  std::vector<Call> calls_;
  std::vector<std::string> delivered_;
};

}  // namespace lc::testing
