#include "sinks/syslog/syslog_sink_metrics.hpp"

namespace lc {

std::string_view to_string(SyslogFailure failure) {
  switch (failure) {
    case SyslogFailure::kConnect:
      return "connect";
    case SyslogFailure::kTls:
      return "tls";
    case SyslogFailure::kClosed:
      return "closed";
    case SyslogFailure::kTimeout:
      return "timeout";
    case SyslogFailure::kProtocol:
      return "protocol";
  }
  return "connect";
}

SyslogSinkMetrics::SyslogSinkMetrics(MetricsRegistry& registry, const std::string& sink_name)
    : scope_(registry),
      delivered(scope_, sink_name),
      connections_opened(scope_.counter("log_capturer_syslog_connections_total",
                                        "Connections the syslog sink opened to its server.",
                                        {{"sink", sink_name}})),
      records_resent(scope_.counter(
          "log_capturer_syslog_records_resent_total",
          "Records sent again after their connection broke before the server acknowledged "
          "them: the server may have taken them, so they may arrive twice.",
          {{"sink", sink_name}})),
      records_at_risk(scope_.counter(
          "log_capturer_syslog_records_at_risk_total",
          "TCP: records the server's TCP had acknowledged within the second before the "
          "connection broke; a server that stops drops what it had not read yet, and TCP cannot "
          "say which.",
          {{"sink", sink_name}})),
      records_truncated(scope_.counter("log_capturer_syslog_records_truncated_total",
                                       "Records whose message was cut at max_message_bytes.",
                                       {{"sink", sink_name}})) {
  for (std::size_t i = 0; i < kSyslogFailureCount; ++i) {
    failures_[i] = &scope_.counter(
        "log_capturer_syslog_connection_failures_total",
        "Failures of the connection to the syslog server, by kind: connect, tls, closed (by the "
        "server), timeout, protocol (RELP).",
        {{"sink", sink_name}, {"kind", std::string(to_string(static_cast<SyslogFailure>(i)))}});
  }
}

}  // namespace lc
