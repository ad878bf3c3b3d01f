#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include "config/agent_config.hpp"
#include "docker/docker_client_metrics.hpp"
#include "docker/docker_connection.hpp"
#include "docker/docker_endpoint.hpp"

namespace lc::docker {

struct ConnectionPoolLimits {
  std::uint32_t max_idle = 4;
  std::uint32_t max_total = 16;  // idle + in use; callers wait beyond it
  Duration idle_timeout{90'000};
  Duration connect_timeout{5'000};
};

class DockerConnectionPool;

// A connection lent by the pool. Back to the pool on destruction only if keep_alive() was
// called (the exchange completed cleanly and the engine keeps the connection); otherwise closed.
class PooledConnection {
 public:
  PooledConnection(PooledConnection&& other) noexcept;
  PooledConnection& operator=(PooledConnection&&) = delete;
  ~PooledConnection();

  DockerConnection& connection() { return *connection_; }
  // True when the connection served an earlier call: the engine may have closed it meanwhile.
  bool reused() const { return reused_; }
  void keep_alive() { keep_alive_ = true; }

 private:
  friend class DockerConnectionPool;
  PooledConnection(DockerConnectionPool* pool, std::unique_ptr<DockerConnection> connection,
                   bool reused);

  DockerConnectionPool* pool_;
  std::unique_ptr<DockerConnection> connection_;
  bool reused_;
  bool keep_alive_ = false;
};

// Keep-alive connections for request/response calls. Single-threaded (its executor); it must
// outlive every PooledConnection it lends.
class DockerConnectionPool {
 public:
  DockerConnectionPool(boost::asio::any_io_executor executor, DockerEndpoint endpoint,
                       boost::asio::ssl::context* tls_context, ConnectionPoolLimits limits,
                       DockerHttpMetrics& metrics);
  ~DockerConnectionPool();
  DockerConnectionPool(const DockerConnectionPool&) = delete;
  DockerConnectionPool& operator=(const DockerConnectionPool&) = delete;

  // The most recently used idle connection, else a new one, else waits for one to come back.
  // Throws system_error when connecting fails or times out (connect_timeout).
  boost::asio::awaitable<PooledConnection> acquire();
  // Closes every idle connection (shutdown, or after a reused one turned out dead).
  void close_idle();
  // Closes the connections lent out too (their calls fail with operation_aborted), wakes the
  // callers waiting for one, and makes acquire() fail from now on. For shutdown.
  void cancel_all();

  std::size_t idle_count() const { return idle_.size(); }
  std::size_t active_count() const { return active_; }

 private:
  friend class PooledConnection;
  using Clock = std::chrono::steady_clock;
  struct IdleConnection {
    std::unique_ptr<DockerConnection> connection;
    Clock::time_point since;
  };

  void give_back(std::unique_ptr<DockerConnection> connection, bool reusable);
  void close_expired();
  void throw_if_cancelled() const;
  void arm_idle_reaper();
  void wake_one_waiter();
  boost::asio::awaitable<void> wait_for_release();

  boost::asio::any_io_executor executor_;
  DockerEndpoint endpoint_;
  boost::asio::ssl::context* tls_context_;
  ConnectionPoolLimits limits_;
  DockerHttpMetrics& metrics_;
  std::deque<IdleConnection> idle_;  // oldest first
  std::size_t active_ = 0;           // lent out, or being connected
  std::deque<boost::asio::steady_timer*> waiters_;
  std::vector<DockerConnection*> lent_;  // not owning: each belongs to a PooledConnection
  bool cancelled_ = false;
  boost::asio::steady_timer idle_reaper_;
  bool reaper_armed_ = false;
  // Lets a timer handler already queued when the pool dies see that it is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace lc::docker
