#pragma once

#include <boost/asio/steady_timer.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sinks/common/batch_attempt.hpp"
#include "sinks/sink.hpp"
#include "sinks/syslog/syslog_message_encoder.hpp"
#include "sinks/syslog/syslog_sink_metrics.hpp"
#include "sinks/syslog/syslog_sink_options.hpp"
#include "sinks/syslog/syslog_transport.hpp"

namespace lc {

class MetricsRegistry;

// Sends records as RFC 5424 messages to a syslog server over TCP, TLS, RELP or UDP. A record
// counts as delivered once its transport says the server took it (TCP: acknowledged by the
// server's TCP; RELP: answered 200; UDP: sent). A broken connection leaves the rest of the batch
// to send again (first once at once, on a new connection, then by the pipeline's retries); a
// message the RELP server refuses is dead-lettered with its answer.
class SyslogSink : public Sink {
 public:
  // `host`: what {{ .host }} renders. Throws std::runtime_error on unloadable TLS files.
  SyslogSink(std::string name, const SyslogSinkOptions& options, MetricsRegistry& metrics,
             std::string host);
  ~SyslogSink() override;

  // The lane stops: the transport lets go of the loop, and a send still running at `deadline`
  // is cut short (its unconfirmed records stay pending).
  void stop_waiting_by(std::chrono::steady_clock::time_point deadline) override;
  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;

 private:
  void encode(const BatchSlice& slice);
  // Records what `report` says of `slice`'s records.
  void settle_report(const BatchSlice& slice, const SyslogSendReport& report);
  // The pipeline's retry after a failed send: the records are not judged, unless the
  // connection keeps breaking while they alone are sent.
  SinkWriteOutcome retry_after_failure(const SyslogSendReport& report);

  std::string name_;
  SyslogSinkMetrics metrics_;
  SyslogMessageEncoder encoder_;
  std::unique_ptr<SyslogTransport> transport_;
  BatchAttempt attempt_;
  SyslogMessages messages_;
  std::vector<bool> truncated_;  // per message: cut at max_message_bytes
  std::vector<std::uint32_t> delivered_places_;
  // Sends in a row that broke the connection with none of their records confirmed.
  int fruitless_breaks_ = 0;
  bool writing_ = false;
  bool stopping_ = false;
  std::optional<boost::asio::steady_timer> stop_timer_;  // made on the sink's loop
};

}  // namespace lc
