#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <cstdint>
#include <string>
#include <unordered_map>

#include "server/http_router.hpp"
#include "server/http_server_metrics.hpp"
#include "server/http_server_options.hpp"

namespace lc::server {

// What the accept loop and every connection coroutine share. Held by shared_ptr so that
// coroutines still unwinding after HttpServer is gone touch live memory; once stopped,
// nothing here touches the router or the metrics (whose owners may be gone).
class HttpServerState {
 public:
  HttpServerState(boost::asio::any_io_executor strand, std::string name, HttpRouter router,
                  HttpServerOptions options, MetricsRegistry& registry);

  const std::string& name() const { return name_; }
  const HttpRouter& router() const { return router_; }
  const HttpServerOptions& options() const { return options_; }
  HttpServerMetrics& metrics() { return metrics_; }
  boost::asio::ip::tcp::acceptor& acceptor() { return acceptor_; }
  bool stopped() const { return stopped_; }

  bool at_connection_cap() const { return open_.size() >= options_.max_connections; }
  // Registers a connection so stop() can close it; returns its key for untrack().
  std::uint64_t track(boost::beast::tcp_stream& stream);
  void untrack(std::uint64_t key);

  // Closes the acceptor and every tracked connection; idempotent.
  void stop();

 private:
  std::string name_;
  HttpRouter router_;
  HttpServerOptions options_;
  HttpServerMetrics metrics_;
  boost::asio::ip::tcp::acceptor acceptor_;
  bool stopped_ = false;
  std::uint64_t next_key_ = 0;
  // Not owning: each stream belongs to its connection coroutine, which untracks it on exit.
  std::unordered_map<std::uint64_t, boost::beast::tcp_stream*> open_;
};

}  // namespace lc::server
