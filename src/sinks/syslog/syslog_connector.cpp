#include "sinks/syslog/syslog_connector.hpp"

#include "net/tls_client_context.hpp"

namespace lc {

SyslogConnector::SyslogConnector(const SyslogSinkOptions& options, SinkAddress address,
                                 SyslogSinkMetrics& metrics)
    : address_(std::move(address)),
      tls_context_(options.tls
                       ? net::make_tls_client_context("the syslog server", options.tls_client)
                       : nullptr),
      verify_host_(options.tls_client.verify),
      timeout_(options.connect_timeout),
      metrics_(metrics) {}

boost::asio::awaitable<std::unique_ptr<SinkConnection>> SyslogConnector::open() {
  try {
    auto connection = co_await SinkConnection::connect("the syslog server", address_,
                                                       tls_context_.get(), verify_host_, timeout_);
    metrics_.connections_opened.inc();
    co_return connection;
  } catch (const SinkTransportError& error) {
    const SyslogFailure kind = error.kind() == SinkTransportError::Kind::kTls ? SyslogFailure::kTls
                               : error.kind() == SinkTransportError::Kind::kTimeout
                                   ? SyslogFailure::kTimeout
                                   : SyslogFailure::kConnect;
    throw SyslogTransportFailure(kind, error.what());
  }
}

}  // namespace lc
