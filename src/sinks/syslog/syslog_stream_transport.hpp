#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "sinks/syslog/syslog_connector.hpp"
#include "sinks/syslog/syslog_transport.hpp"

namespace lc {

// Syslog over TCP or TLS, octet-counted (RFC 6587) or newline-framed. TCP has no application
// acknowledgement: a message counts as taken once the server's TCP acknowledged its bytes (the
// kernel's send queue, SIOCOUTQ, drained past it). Plain TCP confirms messages as the
// acknowledgements come; TLS, whose records add bytes of their own, writes 256 KiB at a time
// and confirms them once the queue drained. A connection the server closes or resets leaves the
// rest pending, sent again on a new one; messages acknowledged within the second before are
// counted at risk (the server may not have read them).
class SyslogStreamTransport : public SyslogTransport {
 public:
  SyslogStreamTransport(const SyslogSinkOptions& options, SinkAddress address,
                        SyslogSinkMetrics& metrics);
  ~SyslogStreamTransport() override { close(); }

  boost::asio::awaitable<SyslogSendReport> send(const SyslogMessages& messages) override;
  void close() noexcept override;
  void stop() override;
  void interrupt() noexcept override;

 private:
  // The connection and what is known of it, shared with its watcher (which may run after the
  // transport let go of the connection: it then touches nothing).
  struct Link {
    std::unique_ptr<SinkConnection> connection;
    bool detached = false;  // the transport closed it, or stopped watching it
    bool broken = false;    // closed or reset, and counted
    // (when, how many) messages the server's TCP acknowledged on it in the last second.
    std::deque<std::pair<std::chrono::steady_clock::time_point, std::size_t>> recent;
  };
  // Waits for the server to close or reset the connection (a syslog server sends nothing) and
  // counts the break then, not at the next send: an idle sink's loss is counted at once.
  boost::asio::awaitable<void> watch(std::shared_ptr<Link> link);
  boost::asio::awaitable<void> open_link();

  void frame(const SyslogMessages& messages);
  boost::asio::awaitable<void> write_and_confirm(SyslogSendReport& report);
  // Writes frames_ up to `end`, a step at a time (each within write_timeout), confirming what
  // the server's TCP acknowledged meanwhile (plain TCP).
  boost::asio::awaitable<void> write_up_to(std::size_t end, SyslogSendReport& report);
  boost::asio::awaitable<std::size_t> write_some(std::size_t end);
  // Waits until the server's TCP acknowledged everything written; gives up after
  // write_timeout without progress.
  boost::asio::awaitable<void> drain(SyslogSendReport& report);
  // Confirms what the send queue says is acknowledged; returns the bytes still unacknowledged.
  // Throws when the connection broke with bytes unacknowledged.
  std::size_t observe_queue(SyslogSendReport& report);
  void confirm_up_to(std::size_t acknowledged, SyslogSendReport& report);
  // TLS: where the next chunk ends (a frame's end, 256 KiB or more past what is written).
  std::size_t tls_chunk_end() const;
  // Counts a broken connection once: the failure, and the messages its server's TCP
  // acknowledged in the second before (at risk).
  void count_break(Link& link, SyslogFailure kind);
  // Counts the messages of a failed send whose bytes went out unacknowledged: sent again.
  void count_resent(const SyslogSendReport& report);
  // Lets go of the connection: `reset` drops what the kernel still holds for the server (a
  // failed send's rest, sent again on the next connection).
  void drop_link(bool reset) noexcept;

  SyslogConnector connector_;
  SyslogSinkMetrics& metrics_;
  bool newline_framing_;
  std::chrono::milliseconds write_timeout_;
  std::string what_;  // "the syslog server at tcp://..."
  std::shared_ptr<Link> link_;
  std::string frames_;
  std::vector<std::size_t> frame_ends_;
  std::size_t written_ = 0;    // bytes of frames_ written
  std::size_t confirmed_ = 0;  // messages of this send confirmed, in order
  bool sending_ = false;
  bool stopping_ = false;     // stop() came: connections are no longer watched
  bool interrupted_ = false;  // interrupt() ended the current send
};

}  // namespace lc
