#include "sinks/syslog/syslog_udp_transport.hpp"

#include <fmt/format.h>

#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "net/tcp_resolve.hpp"
#include "net/with_timeout.hpp"

namespace lc {

namespace asio = boost::asio;

SyslogUdpTransport::SyslogUdpTransport(SinkAddress address,
                                       std::chrono::milliseconds resolve_timeout,
                                       SyslogSinkMetrics& metrics)
    : address_(std::move(address)), resolve_timeout_(resolve_timeout), metrics_(metrics) {}

void SyslogUdpTransport::close() noexcept {
  boost::system::error_code ignored;
  if (socket_) socket_->close(ignored);
  socket_.reset();
}

asio::awaitable<SyslogSendReport> SyslogUdpTransport::send(const SyslogMessages& messages) {
  SyslogSendReport report(messages.size());
  boost::system::error_code error;
  const std::string what = "the syslog server at " + address_.description;
  if (!socket_) {
    try {
      // The same resolver as TCP's: a name's addresses, the first one used.
      const std::string resolving = "resolve " + what;
      const auto addresses = co_await net::with_timeout(
          net::resolve_tcp(address_.host, address_.port), resolve_timeout_, resolving);
      if (addresses.empty()) throw boost::system::system_error(asio::error::host_not_found);
      const auto endpoint = addresses.front();
      socket_.emplace(co_await asio::this_coro::executor);
      socket_->open(endpoint.protocol().family() == AF_INET6 ? asio::ip::udp::v6()
                                                             : asio::ip::udp::v4());
      socket_->connect(asio::ip::udp::endpoint(endpoint.address(), endpoint.port()));
      metrics_.connections_opened.inc();
    } catch (const boost::system::system_error& failure) {
      close();
      report.failure = fmt::format("resolve {}: {}", what, failure.code().message());
      report.failure_kind = SyslogFailure::kConnect;
      metrics_.failures(SyslogFailure::kConnect).inc();
      co_return report;
    }
  }
  for (std::size_t i = 0; i < messages.size(); ++i) {
    co_await socket_->async_send(asio::buffer(messages[i].data(), messages[i].size()),
                                 asio::redirect_error(asio::use_awaitable, error));
    if (error) {
      report.failure = fmt::format("send to {}: {}", what, error.message());
      report.failure_kind = SyslogFailure::kConnect;
      metrics_.failures(SyslogFailure::kConnect).inc();
      close();
      co_return report;
    }
    report.states[i] = SyslogSendReport::State::kConfirmed;
  }
  co_return report;
}

}  // namespace lc
