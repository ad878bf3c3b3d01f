#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "sinks/syslog/syslog_sink_metrics.hpp"

namespace lc {

// Messages to send, back to back in one buffer: message i is text[ends[i-1], ends[i]).
struct SyslogMessages {
  std::string text;
  std::vector<std::size_t> ends;

  std::size_t size() const { return ends.size(); }
  std::string_view operator[](std::size_t i) const {
    const std::size_t begin = i == 0 ? 0 : ends[i - 1];
    return std::string_view(text).substr(begin, ends[i] - begin);
  }
  void clear() {
    text.clear();
    ends.clear();
  }
};

// What became of each message of one send().
struct SyslogSendReport {
  enum class State : std::uint8_t { kPending, kConfirmed, kRefused };
  std::vector<State> states;
  std::vector<std::string> refusals;  // per message: the server's answer (RELP), when refused
  // Set when the connection failed: the pending messages are to be sent again.
  std::optional<std::string> failure;
  SyslogFailure failure_kind = SyslogFailure::kClosed;

  explicit SyslogSendReport(std::size_t count) : states(count, State::kPending), refusals(count) {}
  std::size_t confirmed() const;
  // Records what a send threw: a SyslogTransportFailure's kind, a timeout, another connection
  // error (closed), or what a parser threw (protocol; `what` names the send, "send to ...").
  void fail_with(const std::runtime_error& error, std::string_view what);
  // The agent's stop cut the send short: that is the failure, whatever the connection said.
  void fail_stopping(std::string_view server);
};

// How messages reach the server (TCP, UDP, RELP): the sink encodes, the transport frames, sends
// and says which messages the server took.
class SyslogTransport {
 public:
  virtual ~SyslogTransport() = default;
  // Sends `messages` on the current connection (opened first when there is none). A failure
  // closes the connection: the next send() opens a new one.
  virtual boost::asio::awaitable<SyslogSendReport> send(const SyslogMessages& messages) = 0;
  virtual void close() noexcept = 0;
  // The sink's lane stops: nothing may keep the sink's loop busy any more once no send runs.
  virtual void stop() {}
  // The lane's deadline passed during a send: its connection is reset, so that the send fails
  // at once (its unconfirmed messages stay pending) instead of waiting out write_timeout.
  virtual void interrupt() noexcept {}
};

}  // namespace lc
