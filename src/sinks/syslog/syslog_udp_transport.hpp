#pragma once

#include <boost/asio/ip/udp.hpp>
#include <chrono>
#include <optional>

#include "sinks/syslog/syslog_sink_options.hpp"
#include "sinks/syslog/syslog_transport.hpp"

namespace lc {

// Syslog over UDP (RFC 5426), only when asked: a datagram per message, counted as taken once
// sent; nothing says whether it arrived. The socket is connected, so that a server whose port
// is closed shows as "connection refused" (an ICMP answer) on a later send, which fails the
// send and sends the rest again.
class SyslogUdpTransport : public SyslogTransport {
 public:
  // `resolve_timeout`: how long a host name may take to resolve.
  SyslogUdpTransport(SinkAddress address, std::chrono::milliseconds resolve_timeout,
                     SyslogSinkMetrics& metrics);
  ~SyslogUdpTransport() override { close(); }

  boost::asio::awaitable<SyslogSendReport> send(const SyslogMessages& messages) override;
  void close() noexcept override;

 private:
  SinkAddress address_;
  std::chrono::milliseconds resolve_timeout_;
  SyslogSinkMetrics& metrics_;
  std::optional<boost::asio::ip::udp::socket> socket_;
};

}  // namespace lc
