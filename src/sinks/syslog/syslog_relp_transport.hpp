#pragma once

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <utility>

#include "sinks/syslog/relp_frame.hpp"
#include "sinks/syslog/syslog_connector.hpp"
#include "sinks/syslog/syslog_transport.hpp"

namespace lc {

// Syslog over RELP, as rsyslog's imrelp speaks it: a session opened with "open" (the server
// must offer the syslog command), each message a "syslog" command, taken only once the server
// answers it "200 OK"; up to `relp_window` messages ahead of their answers. A message answered
// otherwise is refused (dead-lettered with the answer); a session that breaks leaves the
// unanswered ones pending, sent again on a new one.
//
// Written here rather than on librelp: librelp's client says when a message is sent, never when
// it is acknowledged (it re-sends unacknowledged ones itself on reconnection, and loses them if
// the process dies), and it blocks a thread on its own sockets.
class SyslogRelpTransport : public SyslogTransport {
 public:
  SyslogRelpTransport(const SyslogSinkOptions& options, SinkAddress address,
                      SyslogSinkMetrics& metrics);
  ~SyslogRelpTransport() override { close(); }

  boost::asio::awaitable<SyslogSendReport> send(const SyslogMessages& messages) override;
  void close() noexcept override;
  void interrupt() noexcept override;

 private:
  boost::asio::awaitable<void> open_session();
  boost::asio::awaitable<void> exchange(const SyslogMessages& messages, SyslogSendReport& report);
  // Appends "syslog" frames while the window has room; returns whether it appended any.
  bool fill_window(const SyslogMessages& messages, std::size_t& next);
  boost::asio::awaitable<void> write_out();
  // Reads what the server sent and answers each whole frame in it (at least one).
  boost::asio::awaitable<void> read_answers(SyslogSendReport& report);
  // Reads until the first whole frame and returns it (the answer to "open").
  boost::asio::awaitable<RelpFrame> read_frame();
  boost::asio::awaitable<void> read_some();
  void answer(const RelpFrame& frame, SyslogSendReport& report);
  std::uint32_t next_txnr();

  SyslogConnector connector_;
  SyslogSinkMetrics& metrics_;
  std::size_t window_;
  std::chrono::milliseconds write_timeout_;
  std::unique_ptr<SinkConnection> connection_;
  std::uint32_t txnr_ = 0;  // the last one used on this session
  std::string out_;
  std::size_t unwritten_ = 0;  // frames in out_ not written yet
  std::string in_;
  // Messages written (or being written) and not answered yet: (txnr, index in the send).
  std::deque<std::pair<std::uint32_t, std::size_t>> in_flight_;
  bool sending_ = false;
  bool interrupted_ = false;
};

}  // namespace lc
