#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string>

#include "metrics/metrics_registry.hpp"
#include "server/http_router.hpp"
#include "server/http_server_options.hpp"

namespace lc::server {

class HttpServerState;

// One HTTP/1.1 listener (keep-alive, bounded requests, idle timeout, connection cap).
// All its work runs on a strand of the given executor. start(), stop() and the destructor
// must not run concurrently with that strand: call them from a handler on executor(), or
// while the io_context is not running. The metrics registry must outlive this object.
class HttpServer {
 public:
  // name labels the metrics (server="api") and prefixes error messages.
  // listen: "host:port" (see parse_listen_address); port 0 = ephemeral.
  HttpServer(boost::asio::any_io_executor executor, std::string name, std::string listen,
             HttpRouter router, MetricsRegistry& metrics, HttpServerOptions options = {});
  ~HttpServer();  // stop()
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds now; throws std::runtime_error ("metrics server: cannot listen on 127.0.0.1:8001:
  // Address already in use"), then accepts in a coroutine. Call once.
  void start();
  // Stops accepting and closes every open connection. Idempotent.
  void stop();
  // The bound port (after start()).
  unsigned short port() const { return port_; }
  const std::string& name() const;
  boost::asio::any_io_executor executor() const;

 private:
  std::string listen_;
  std::shared_ptr<HttpServerState> state_;
  unsigned short port_ = 0;
  bool started_ = false;
};

}  // namespace lc::server
