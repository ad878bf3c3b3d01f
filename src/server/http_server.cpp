#include "server/http_server.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <stdexcept>

#include "server/http_connection.hpp"
#include "server/http_server_state.hpp"
#include "server/listen_address.hpp"

namespace lc::server {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {

// Spawned coroutines must never take the process down: log and drop the connection.
void log_if_failed(const std::string& name, std::exception_ptr failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    spdlog::error("{} server: connection failed: {}", name, e.what());
  } catch (...) {
    spdlog::error("{} server: connection failed", name);
  }
}

asio::awaitable<void> accept_connections(std::shared_ptr<HttpServerState> state) {
  tcp::acceptor& acceptor = state->acceptor();
  boost::system::error_code error;
  while (!state->stopped()) {
    tcp::socket socket =
        co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, error));
    if (state->stopped() || error == asio::error::operation_aborted) co_return;
    if (error) {
      // Typically EMFILE: back off instead of spinning on an error that persists.
      spdlog::warn("{} server: accept failed: {}", state->name(), error.message());
      asio::steady_timer backoff(acceptor.get_executor(), std::chrono::milliseconds(100));
      co_await backoff.async_wait(asio::redirect_error(asio::use_awaitable, error));
      continue;
    }
    if (state->at_connection_cap()) {
      state->metrics().connections_rejected.inc();
      socket.close(error);
      continue;
    }
    auto connection = std::make_unique<HttpConnection>(state, std::move(socket));
    asio::co_spawn(acceptor.get_executor(), serve_http_connection(std::move(connection)),
                   [name = state->name()](std::exception_ptr e) { log_if_failed(name, e); });
  }
}

}  // namespace

HttpServer::HttpServer(asio::any_io_executor executor, std::string name, std::string listen,
                       HttpRouter router, MetricsRegistry& metrics, HttpServerOptions options)
    : listen_(std::move(listen)),
      state_(std::make_shared<HttpServerState>(asio::make_strand(executor), std::move(name),
                                               std::move(router), options, metrics)) {}

HttpServer::~HttpServer() { stop(); }

const std::string& HttpServer::name() const { return state_->name(); }

asio::any_io_executor HttpServer::executor() const { return state_->acceptor().get_executor(); }

void HttpServer::start() {
  if (started_) throw std::logic_error(name() + " server: start() called twice");
  started_ = true;
  const auto fail = [&](const std::string& reason) {
    throw std::runtime_error(name() + " server: cannot listen on " + listen_ + ": " + reason);
  };
  tcp::endpoint endpoint;
  try {
    endpoint = parse_listen_address(listen_);
  } catch (const std::invalid_argument& e) {
    fail(e.what());
  }
  tcp::acceptor& acceptor = state_->acceptor();
  boost::system::error_code error;
  acceptor.open(endpoint.protocol(), error);
  if (error) fail(error.message());
  // Lets a restarted agent bind while old connections sit in TIME_WAIT; an active
  // listener on the port still makes bind fail.
  acceptor.set_option(tcp::acceptor::reuse_address(true), error);
  acceptor.bind(endpoint, error);
  if (!error) acceptor.listen(state_->options().listen_backlog, error);
  if (error) {
    boost::system::error_code ignored;
    acceptor.close(ignored);
    fail(error.message());
  }
  port_ = acceptor.local_endpoint(error).port();
  spdlog::info("{} server: listening on {}:{}", name(), endpoint.address().to_string(), port_);
  asio::co_spawn(acceptor.get_executor(), accept_connections(state_),
                 [name = name()](std::exception_ptr e) { log_if_failed(name, e); });
}

void HttpServer::stop() { state_->stop(); }

}  // namespace lc::server
