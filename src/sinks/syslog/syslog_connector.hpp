#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl/context.hpp>
#include <memory>
#include <stdexcept>
#include <string>

#include "sinks/common/sink_connection.hpp"
#include "sinks/syslog/syslog_sink_metrics.hpp"
#include "sinks/syslog/syslog_sink_options.hpp"

namespace lc {

// A failed exchange with the syslog server, with its kind (the metric's label).
class SyslogTransportFailure : public std::runtime_error {
 public:
  SyslogTransportFailure(SyslogFailure kind, const std::string& message)
      : std::runtime_error(message), kind_(kind) {}
  SyslogFailure kind() const { return kind_; }

 private:
  SyslogFailure kind_;
};

// Opens TCP or TLS connections to the syslog server (TCP and RELP transports), counting them.
class SyslogConnector {
 public:
  // Throws std::runtime_error on unloadable TLS files.
  SyslogConnector(const SyslogSinkOptions& options, SinkAddress address,
                  SyslogSinkMetrics& metrics);

  // Throws SyslogTransportFailure (kConnect, kTls or kTimeout).
  boost::asio::awaitable<std::unique_ptr<SinkConnection>> open();
  const SinkAddress& address() const { return address_; }

 private:
  SinkAddress address_;
  std::unique_ptr<boost::asio::ssl::context> tls_context_;  // null: plain TCP
  bool verify_host_;
  std::chrono::milliseconds timeout_;
  SyslogSinkMetrics& metrics_;
};

}  // namespace lc
