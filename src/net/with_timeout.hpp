#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <chrono>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>

namespace lc::net {

// Runs `operation` and cancels it when `timeout` expires first, then throws
// system_error(timed_out, what). Unlike awaitable_operators' `||`, which waits for one
// *success*, an operation that fails fast reports its own error at once instead of waiting
// for the timer.
template <class T>
boost::asio::awaitable<T> with_timeout(boost::asio::awaitable<T> operation,
                                       std::chrono::milliseconds timeout, std::string what) {
  namespace asio = boost::asio;
  auto executor = co_await asio::this_coro::executor;
  asio::steady_timer timer(executor, timeout);
  auto group = asio::experimental::make_parallel_group(
      asio::co_spawn(executor, std::move(operation), asio::deferred),
      timer.async_wait(asio::deferred));
  const auto timed_out = [&] {
    return boost::system::system_error(
        make_error_code(boost::system::errc::timed_out),
        what + " (no answer within " + std::to_string(timeout.count()) + " ms)");
  };
  if constexpr (std::is_void_v<T>) {
    auto [order, error, timer_error] =
        co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    (void)timer_error;
    if (order[0] == 1) throw timed_out();
    if (error) std::rethrow_exception(error);
  } else {
    auto [order, error, result, timer_error] =
        co_await group.async_wait(asio::experimental::wait_for_one(), asio::use_awaitable);
    (void)timer_error;
    if (order[0] == 1) throw timed_out();
    if (error) std::rethrow_exception(error);
    co_return std::move(result);
  }
}

}  // namespace lc::net
