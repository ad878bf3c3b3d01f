#pragma once

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace lc::docker::testing {

// What the fake engine does with one request.
struct FakeResponse {
  unsigned status = 200;
  std::string body{};
  bool connection_close_header = false;  // answers "Connection: close" and closes
  bool close_after = false;              // answers keep-alive, then closes anyway
  bool never_answer = false;             // keeps the connection open, silent
  std::chrono::milliseconds delay{0};
  std::vector<std::string> chunks{};  // non-empty: a chunked body, one write per chunk
  std::chrono::milliseconds chunk_delay{0};
};

// A scripted HTTP/1.1 server on 127.0.0.1 for what a real engine will not do on demand
// (stall, fail, close). Runs on the test's io_context.
class FakeDockerServer {
  using tcp = boost::asio::ip::tcp;

 public:
  using Handler = std::function<FakeResponse(const std::string& target)>;
  struct Stats {
    std::size_t accepted = 0;
    std::size_t open = 0;
    std::size_t max_open = 0;
    std::size_t peer_closed = 0;  // connections the client closed
    std::vector<std::string> targets;
  };

  FakeDockerServer(boost::asio::io_context& io, Handler handler)
      : acceptor_(std::make_shared<tcp::acceptor>(
            io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0))),
        handler_(std::make_shared<Handler>(std::move(handler))) {
    boost::asio::co_spawn(io, accept_loop(acceptor_, handler_, stats_), boost::asio::detached);
  }
  // The accept loop shares the acceptor, so closing it here is enough to end the loop.
  ~FakeDockerServer() { acceptor_->close(); }

  std::string host() const {
    return "tcp://127.0.0.1:" + std::to_string(acceptor_->local_endpoint().port());
  }
  const Stats& stats() const { return *stats_; }

 private:
  static boost::asio::awaitable<void> accept_loop(std::shared_ptr<tcp::acceptor> acceptor,
                                                  std::shared_ptr<Handler> handler,
                                                  std::shared_ptr<Stats> stats) {
    for (;;) {
      boost::system::error_code error;
      auto socket = co_await acceptor->async_accept(
          boost::asio::redirect_error(boost::asio::use_awaitable, error));
      if (error) co_return;
      ++stats->accepted;
      stats->max_open = std::max(stats->max_open, ++stats->open);
      boost::asio::co_spawn(acceptor->get_executor(), session(std::move(socket), handler, stats),
                            boost::asio::detached);
    }
  }

  static boost::asio::awaitable<void> session(tcp::socket socket, std::shared_ptr<Handler> handler,
                                              std::shared_ptr<Stats> stats) {
    namespace http = boost::beast::http;
    using boost::asio::use_awaitable;
    struct OpenGuard {
      std::shared_ptr<Stats> stats;
      ~OpenGuard() { --stats->open; }
    } guard{stats};
    boost::beast::flat_buffer buffer;
    boost::asio::steady_timer timer(socket.get_executor());
    try {
      for (;;) {
        http::request<http::string_body> request;
        boost::system::error_code error;
        co_await http::async_read(socket, buffer, request,
                                  boost::asio::redirect_error(use_awaitable, error));
        if (error) {
          ++stats->peer_closed;
          co_return;
        }
        stats->targets.emplace_back(request.target());
        const FakeResponse answer = (*handler)(std::string(request.target()));
        if (answer.never_answer) {
          // Silent until the client gives up and closes.
          char byte;
          co_await socket.async_read_some(boost::asio::buffer(&byte, 1),
                                          boost::asio::redirect_error(use_awaitable, error));
          ++stats->peer_closed;
          co_return;
        }
        if (answer.delay.count() > 0) {
          timer.expires_after(answer.delay);
          co_await timer.async_wait(use_awaitable);
        }
        if (!answer.chunks.empty()) {
          std::string head = "HTTP/1.1 " + std::to_string(answer.status) +
                             " OK\r\nTransfer-Encoding: chunked\r\n\r\n";
          co_await boost::asio::async_write(socket, boost::asio::buffer(head), use_awaitable);
          for (const auto& chunk : answer.chunks) {
            char size[32];
            std::snprintf(size, sizeof size, "%zx\r\n", chunk.size());
            const std::string framed = size + chunk + "\r\n";
            co_await boost::asio::async_write(socket, boost::asio::buffer(framed), use_awaitable);
            timer.expires_after(answer.chunk_delay);
            co_await timer.async_wait(use_awaitable);
          }
          co_await boost::asio::async_write(socket, boost::asio::buffer(std::string("0\r\n\r\n")),
                                            use_awaitable);
          continue;
        }
        http::response<http::string_body> response(static_cast<http::status>(answer.status), 11);
        response.set(http::field::content_type, "application/json");
        response.body() = answer.body;
        response.keep_alive(!answer.connection_close_header);
        response.prepare_payload();
        co_await http::async_write(socket, response, use_awaitable);
        if (answer.connection_close_header || answer.close_after) co_return;
      }
    } catch (const boost::system::system_error&) {
      // the client went away mid-answer
    }
  }

  std::shared_ptr<tcp::acceptor> acceptor_;
  std::shared_ptr<Handler> handler_;
  std::shared_ptr<Stats> stats_ = std::make_shared<Stats>();
};

}  // namespace lc::docker::testing
