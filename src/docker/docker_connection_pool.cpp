#include "docker/docker_connection_pool.hpp"

#include <algorithm>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <utility>

namespace lc::docker {

namespace asio = boost::asio;

PooledConnection::PooledConnection(DockerConnectionPool* pool,
                                   std::unique_ptr<DockerConnection> connection, bool reused)
    : pool_(pool), connection_(std::move(connection)), reused_(reused) {}

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::move(other.connection_)),
      reused_(other.reused_),
      keep_alive_(other.keep_alive_) {}

PooledConnection::~PooledConnection() {
  if (pool_ != nullptr) pool_->give_back(std::move(connection_), keep_alive_);
}

DockerConnectionPool::DockerConnectionPool(asio::any_io_executor executor, DockerEndpoint endpoint,
                                           asio::ssl::context* tls_context,
                                           ConnectionPoolLimits limits, DockerHttpMetrics& metrics)
    : executor_(std::move(executor)),
      endpoint_(std::move(endpoint)),
      tls_context_(tls_context),
      limits_(limits),
      metrics_(metrics),
      idle_reaper_(executor_) {
  limits_.max_total = std::max<std::uint32_t>(limits_.max_total, 1);
}

DockerConnectionPool::~DockerConnectionPool() {
  close_idle();
  idle_reaper_.cancel();
}

asio::awaitable<PooledConnection> DockerConnectionPool::acquire() {
  for (;;) {
    throw_if_cancelled();
    close_expired();
    if (!idle_.empty()) {
      auto connection = std::move(idle_.back().connection);
      idle_.pop_back();
      metrics_.idle_connections.sub(1);
      ++active_;
      metrics_.active_connections.add(1);
      lent_.push_back(connection.get());
      co_return PooledConnection(this, std::move(connection), true);
    }
    if (active_ < limits_.max_total) {
      // The slot is reserved before connecting so that concurrent callers respect max_total.
      ++active_;
      metrics_.active_connections.add(1);
      std::unique_ptr<DockerConnection> connection;
      try {
        connection = co_await DockerConnection::connect(executor_, endpoint_, tls_context_,
                                                        limits_.connect_timeout);
      } catch (...) {
        give_back(nullptr, false);
        throw;
      }
      metrics_.connections_opened.inc();
      if (cancelled_) connection->close();  // cancelled while connecting
      lent_.push_back(connection.get());
      co_return PooledConnection(this, std::move(connection), false);
    }
    co_await wait_for_release();
  }
}

void DockerConnectionPool::give_back(std::unique_ptr<DockerConnection> connection, bool reusable) {
  --active_;
  metrics_.active_connections.sub(1);
  std::erase(lent_, connection.get());
  if (connection && !cancelled_ && reusable && connection->is_open() &&
      idle_.size() < limits_.max_idle) {
    idle_.push_back(IdleConnection{std::move(connection), Clock::now()});
    metrics_.idle_connections.add(1);
    arm_idle_reaper();
  }
  // Anything not kept closes here, in `connection`'s destructor.
  connection.reset();
  wake_one_waiter();
}

void DockerConnectionPool::close_idle() {
  metrics_.idle_connections.sub(static_cast<std::int64_t>(idle_.size()));
  idle_.clear();
  idle_reaper_.cancel();  // a pending reaper would keep the loop (and a shutdown) alive
}

void DockerConnectionPool::cancel_all() {
  cancelled_ = true;
  close_idle();
  for (DockerConnection* connection : lent_) connection->close();
  while (!waiters_.empty()) wake_one_waiter();
}

void DockerConnectionPool::throw_if_cancelled() const {
  if (cancelled_) {
    throw boost::system::system_error(asio::error::operation_aborted, "Docker client stopped");
  }
}

void DockerConnectionPool::close_expired() {
  const auto now = Clock::now();
  while (!idle_.empty() && now - idle_.front().since >= limits_.idle_timeout) {
    idle_.pop_front();
    metrics_.idle_connections.sub(1);
  }
}

void DockerConnectionPool::arm_idle_reaper() {
  if (reaper_armed_ || idle_.empty()) return;
  reaper_armed_ = true;
  idle_reaper_.expires_at(idle_.front().since + limits_.idle_timeout);
  idle_reaper_.async_wait(
      [this, alive = std::weak_ptr<bool>(alive_)](const boost::system::error_code&) {
        if (alive.expired()) return;
        reaper_armed_ = false;
        close_expired();
        arm_idle_reaper();
      });
}

void DockerConnectionPool::wake_one_waiter() {
  if (waiters_.empty()) return;
  waiters_.front()->cancel();
  waiters_.pop_front();
}

asio::awaitable<void> DockerConnectionPool::wait_for_release() {
  // A timer that never expires: give_back() cancels it to hand the turn to this caller.
  asio::steady_timer turn(executor_, asio::steady_timer::time_point::max());
  waiters_.push_back(&turn);
  boost::system::error_code ignored;
  co_await turn.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  std::erase(waiters_, &turn);
  throw_if_cancelled();
  auto state = co_await asio::this_coro::cancellation_state;
  if (state.cancelled() != asio::cancellation_type::none) {
    wake_one_waiter();  // the turn this caller may have been given passes on
    throw boost::system::system_error(asio::error::operation_aborted,
                                      "waiting for a Docker connection");
  }
}

}  // namespace lc::docker
