#include "pipeline/memory_budget.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/error.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <vector>

namespace lc {

namespace asio = boost::asio;

void MemoryBudget::complete(Waiter& waiter, boost::system::error_code error) {
  // Completing through post keeps the caller's stack shallow and runs it on its own executor.
  asio::post(waiter.executor, asio::append(std::move(waiter.handler), error));
}

void MemoryBudget::start_acquire(Waiter waiter) {
  std::unique_lock lock(mutex_);
  if (closed_) {
    lock.unlock();
    complete(waiter, asio::error::operation_aborted);
    return;
  }
  if (waiters_.empty() && fits(waiter.bytes)) {
    in_use_ += waiter.bytes;
    lock.unlock();
    complete(waiter, {});
    return;
  }
  waiters_.push_back(std::move(waiter));
}

bool MemoryBudget::try_acquire(std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  if (closed_) throw boost::system::system_error(asio::error::operation_aborted);
  if (!waiters_.empty() || !fits(bytes)) return false;
  in_use_ += bytes;
  return true;
}

asio::awaitable<void> MemoryBudget::acquire(std::uint64_t bytes) {
  // The common case, room available: no suspension, no posted completion.
  if (try_acquire(bytes)) co_return;
  const auto executor = co_await asio::this_coro::executor;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(boost::system::error_code)>(
      [this, executor](auto handler, std::uint64_t requested) {
        start_acquire(Waiter{requested, Handler(std::move(handler)), executor});
      },
      asio::use_awaitable, bytes);
}

void MemoryBudget::start_wait_below(Waiter waiter) {
  std::unique_lock lock(mutex_);
  if (closed_ || in_use_ < waiter.bytes) {
    const bool closed = closed_;
    lock.unlock();
    complete(waiter, closed ? asio::error::operation_aborted : boost::system::error_code{});
    return;
  }
  below_waiters_.push_back(std::move(waiter));
}

asio::awaitable<void> MemoryBudget::wait_below(std::uint64_t threshold) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) throw boost::system::system_error(asio::error::operation_aborted);
    if (in_use_ < threshold) co_return;
  }
  const auto executor = co_await asio::this_coro::executor;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void(boost::system::error_code)>(
      [this, executor](auto handler, std::uint64_t below) {
        start_wait_below(Waiter{below, Handler(std::move(handler)), executor});
      },
      asio::use_awaitable, threshold);
}

void MemoryBudget::release(std::uint64_t bytes) {
  std::vector<Waiter> granted;
  {
    std::lock_guard lock(mutex_);
    in_use_ = bytes > in_use_ ? 0 : in_use_ - bytes;
    while (!waiters_.empty() && fits(waiters_.front().bytes)) {
      in_use_ += waiters_.front().bytes;
      granted.push_back(std::move(waiters_.front()));
      waiters_.pop_front();
    }
    std::erase_if(below_waiters_, [&](Waiter& waiter) {
      if (in_use_ >= waiter.bytes) return false;
      granted.push_back(std::move(waiter));
      return true;
    });
  }
  for (Waiter& waiter : granted) complete(waiter, {});
}

void MemoryBudget::set_limit(std::uint64_t limit_bytes) {
  limit_ = limit_bytes;
  release(0);  // grants what fits now
}

void MemoryBudget::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  cancel_waiters();
}

void MemoryBudget::cancel_waiters() {
  std::deque<Waiter> cancelled;
  std::vector<Waiter> cancelled_below;
  {
    std::lock_guard lock(mutex_);
    cancelled.swap(waiters_);
    cancelled_below.swap(below_waiters_);
  }
  for (Waiter& waiter : cancelled) complete(waiter, asio::error::operation_aborted);
  for (Waiter& waiter : cancelled_below) complete(waiter, asio::error::operation_aborted);
}

std::uint64_t MemoryBudget::in_use() const {
  std::lock_guard lock(mutex_);
  return in_use_;
}

std::size_t MemoryBudget::waiting() const {
  std::lock_guard lock(mutex_);
  return waiters_.size() + below_waiters_.size();
}

}  // namespace lc
