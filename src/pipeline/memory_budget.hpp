#pragma once

#include <atomic>
#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

namespace lc {

// The pipeline's memory bound, in bytes: an asynchronous, first-come-first-served semaphore
// shared by every input (acquire) and the sink side (release), across threads. A waiting
// input simply stops reading, which is the backpressure: dockerd's socket fills, a file
// stays where it is.
class MemoryBudget {
 public:
  explicit MemoryBudget(std::uint64_t limit_bytes) : limit_(limit_bytes) {}

  // Completes once `bytes` are reserved. A request larger than the whole limit is let in
  // when nothing else is reserved, so one huge record cannot wait forever.
  // Completes with operation_aborted after cancel_waiters().
  boost::asio::awaitable<void> acquire(std::uint64_t bytes);
  // Reserves at once when there is room and nobody waits; false otherwise. Throws
  // operation_aborted after close().
  bool try_acquire(std::uint64_t bytes);
  void release(std::uint64_t bytes);
  // Completes once less than `threshold` bytes are reserved, reserving nothing: how an input
  // that can read again later (a file) keeps its read-ahead small. Completes at once when
  // already below; several waiters may wake together, so a caller checks again.
  // Completes with operation_aborted after cancel_waiters() or close().
  boost::asio::awaitable<void> wait_below(std::uint64_t threshold);
  // Fails every pending acquire (shutdown); later acquires still work.
  void cancel_waiters();
  // Shutdown: fails every pending acquire and every later one, so that no acquire can start
  // waiting after the last cancellation (a submit racing with stop would wait forever).
  void close();

  // A reload: the new bound applies to the next acquires; a larger one lets waiters in now.
  void set_limit(std::uint64_t limit_bytes);

  std::uint64_t in_use() const;
  std::uint64_t limit() const { return limit_.load(); }
  std::size_t waiting() const;

 private:
  using Handler = boost::asio::any_completion_handler<void(boost::system::error_code)>;
  struct Waiter {
    std::uint64_t bytes;
    Handler handler;
    boost::asio::any_io_executor executor;  // the waiting coroutine's
  };
  static void complete(Waiter& waiter, boost::system::error_code error);
  bool fits(std::uint64_t bytes) const { return in_use_ == 0 || in_use_ + bytes <= limit_; }
  void start_acquire(Waiter waiter);
  void start_wait_below(Waiter waiter);

  std::atomic<std::uint64_t> limit_;
  mutable std::mutex mutex_;
  std::uint64_t in_use_ = 0;
  bool closed_ = false;
  std::deque<Waiter> waiters_;
  std::vector<Waiter> below_waiters_;  // Waiter::bytes is their threshold
};

}  // namespace lc
