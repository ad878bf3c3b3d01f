#include "server/http_server_state.hpp"

#include <utility>

namespace lc::server {

HttpServerState::HttpServerState(boost::asio::any_io_executor strand, std::string name,
                                 HttpRouter router, HttpServerOptions options,
                                 MetricsRegistry& registry)
    : name_(std::move(name)),
      router_(std::move(router)),
      options_(options),
      metrics_(registry, name_),
      acceptor_(std::move(strand)) {}

std::uint64_t HttpServerState::track(boost::beast::tcp_stream& stream) {
  const std::uint64_t key = next_key_++;
  open_.emplace(key, &stream);
  metrics_.connections_active.add(1);
  return key;
}

void HttpServerState::untrack(std::uint64_t key) {
  if (stopped_) return;  // stop() already forgot it, and the metrics may be gone
  if (open_.erase(key) > 0) metrics_.connections_active.sub(1);
}

void HttpServerState::stop() {
  if (stopped_) return;
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  for (const auto& [key, stream] : open_) {
    stream->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
    stream->close();
  }
  metrics_.connections_active.sub(static_cast<std::int64_t>(open_.size()));
  open_.clear();
}

}  // namespace lc::server
