#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "metrics/metrics_scope.hpp"
#include "sinks/common/sink_delivery_counters.hpp"

namespace lc {

// Why a connection to the syslog server failed: the label of
// log_capturer_syslog_connection_failures_total.
enum class SyslogFailure {
  kConnect,   // resolve or connect failed (UDP: the server's port answered unreachable)
  kTls,       // the TLS handshake failed (certificate, protocol)
  kClosed,    // the server closed or reset the connection
  kTimeout,   // connect, or writing and acknowledging a batch, took too long
  kProtocol,  // RELP: an answer that is not RELP, or a refused session
};
inline constexpr std::size_t kSyslogFailureCount = 5;
std::string_view to_string(SyslogFailure failure);

// The syslog sink's series, labelled sink="<name>" (docs/metrics.md). Registered once per sink.
class SyslogSinkMetrics {
  MetricsScope scope_;  // first: the series below are its, gone with the sink

 public:
  SyslogSinkMetrics(MetricsRegistry& registry, const std::string& sink_name);

  SinkDeliveryCounters delivered;  // log_capturer_sink_{records,bytes}_written_total, _batches
  Counter& connections_opened;
  // Records sent again on a new connection after the old one broke before the server
  // acknowledged them (TCP or RELP): the server may have taken them, so they may arrive twice.
  Counter& records_resent;
  // TCP: records the server's TCP had acknowledged within the second before the connection
  // broke. A server that stops drops what it had not read yet, and TCP cannot say which.
  Counter& records_at_risk;
  Counter& records_truncated;  // cut at max_message_bytes

  Counter& failures(SyslogFailure failure) { return *failures_[static_cast<std::size_t>(failure)]; }

 private:
  std::array<Counter*, kSyslogFailureCount> failures_{};
};

}  // namespace lc
