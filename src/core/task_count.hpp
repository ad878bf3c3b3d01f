#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>
#include <utility>

namespace lc {

// Counts a component's running coroutines, so that a stopped component can be destroyed while
// its loop goes on (a reload rebuilding one input) instead of waiting for the loop to run out
// of work: each of its coroutines is spawned with track() as its co_spawn completion handler,
// and once running() is 0 none of them will touch it again. Used on one thread (its loop).
class TaskCount {
 public:
  using OnFailure = std::function<void(std::exception_ptr)>;

  // The completion handler of one co_spawn: counted from now until the coroutine has ended
  // (then `on_failure` sees the exception it ended with, if any).
  auto track(OnFailure on_failure = {}) {
    ++*running_;
    return [running = running_, on_failure = std::move(on_failure)](std::exception_ptr error) {
      --*running;
      if (error && on_failure) on_failure(error);
    };
  }
  std::size_t running() const { return *running_; }

 private:
  // Shared with the handlers: one may run after the component (and this count) is gone.
  std::shared_ptr<std::size_t> running_ = std::make_shared<std::size_t>(0);
};

}  // namespace lc
