#include "sinks/syslog/syslog_relp_transport.hpp"

#include <fmt/format.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/system/system_error.hpp>

#include "net/with_timeout.hpp"

namespace lc {

namespace asio = boost::asio;

namespace {

// TXNR runs 1 to 999999999 (RELP); servers disagree on what follows, so a session that nears
// the end is replaced by a new one, whose numbers start again at 1.
constexpr std::uint32_t kLastTxnrOfASession = 999'000'000;
// A server's answers are short ("200 OK", an open's offers).
constexpr std::size_t kMaxAnswerBytes = 64 * 1024;
constexpr std::string_view kOpenOffers =
    "relp_version=0\nrelp_software=log-capturer\ncommands=syslog";

// Whether the offers of an "open" answer ("200 OK\nrelp_version=0\n...commands=syslog,...")
// enable the syslog command.
bool offers_syslog(std::string_view offers) {
  for (std::size_t at = 0; at < offers.size();) {
    const std::size_t end = std::min(offers.find('\n', at), offers.size());
    std::string_view line = offers.substr(at, end - at);
    at = end + 1;
    if (!line.starts_with("commands=")) continue;
    line.remove_prefix(9);
    for (std::size_t from = 0; from <= line.size();) {
      const std::size_t comma = std::min(line.find(',', from), line.size());
      if (line.substr(from, comma - from) == "syslog") return true;
      from = comma + 1;
    }
  }
  return false;
}

}  // namespace

SyslogRelpTransport::SyslogRelpTransport(const SyslogSinkOptions& options, SinkAddress address,
                                         SyslogSinkMetrics& metrics)
    : connector_(options, std::move(address), metrics),
      metrics_(metrics),
      window_(options.relp_window),
      write_timeout_(options.write_timeout) {}

void SyslogRelpTransport::close() noexcept {
  if (connection_) connection_->close();
  connection_.reset();
  in_.clear();
  in_flight_.clear();
  unwritten_ = 0;
}

void SyslogRelpTransport::interrupt() noexcept {
  if (!sending_ || !connection_) return;
  interrupted_ = true;
  connection_->abort();  // the pending read or write fails at once
}

std::uint32_t SyslogRelpTransport::next_txnr() { return ++txnr_; }

asio::awaitable<SyslogSendReport> SyslogRelpTransport::send(const SyslogMessages& messages) {
  SyslogSendReport report(messages.size());
  const std::string what = "send to the syslog server at " + connector_.address().description;
  sending_ = true;
  interrupted_ = false;
  try {
    if (connection_ && txnr_ + messages.size() > kLastTxnrOfASession) close();
    if (!connection_) co_await net::with_timeout(open_session(), write_timeout_, what);
    co_await exchange(messages, report);
  } catch (const std::runtime_error& error) {
    report.fail_with(error, what);
  }
  sending_ = false;
  if (interrupted_ && report.failure) {
    report.fail_stopping("the syslog server at " + connector_.address().description);
  }
  if (report.failure) {
    // Written and unanswered: the server may have taken them.
    metrics_.records_resent.inc(in_flight_.size() - std::min(unwritten_, in_flight_.size()));
    metrics_.failures(report.failure_kind).inc();
    if (connection_) connection_->abort();
    close();
  }
  co_return report;
}

asio::awaitable<void> SyslogRelpTransport::open_session() {
  connection_ = co_await connector_.open();
  txnr_ = 0;
  out_.clear();
  append_relp_frame(next_txnr(), "open", kOpenOffers, out_);
  co_await write_out();
  const RelpFrame answer = co_await read_frame();
  const std::string& server = connector_.address().description;
  if (answer.command == "serverclose") {
    throw SyslogTransportFailure(SyslogFailure::kClosed,
                                 fmt::format("the RELP server at {} closed the session", server));
  }
  if (answer.command != "rsp" || answer.txnr != txnr_ || relp_response_status(answer.data) != 200) {
    throw SyslogTransportFailure(
        SyslogFailure::kProtocol,
        fmt::format("the RELP server at {} refused the session: {} {} '{}'", server, answer.txnr,
                    answer.command, answer.data.substr(0, 200)));
  }
  if (!offers_syslog(answer.data)) {
    throw SyslogTransportFailure(
        SyslogFailure::kProtocol,
        fmt::format("the RELP server at {} does not offer the syslog command: '{}'", server,
                    answer.data.substr(0, 200)));
  }
}

bool SyslogRelpTransport::fill_window(const SyslogMessages& messages, std::size_t& next) {
  out_.clear();
  unwritten_ = 0;
  while (next < messages.size() && in_flight_.size() < window_) {
    const std::uint32_t txnr = next_txnr();
    append_relp_frame(txnr, "syslog", messages[next], out_);
    in_flight_.emplace_back(txnr, next++);
    ++unwritten_;
  }
  return unwritten_ > 0;
}

asio::awaitable<void> SyslogRelpTransport::exchange(const SyslogMessages& messages,
                                                    SyslogSendReport& report) {
  const std::string what = "send to the syslog server at " + connector_.address().description;
  std::size_t next = 0;
  while (next < messages.size() || !in_flight_.empty()) {
    // Refilled once half the window is answered: fewer, larger writes (read_some acknowledges
    // at once meanwhile, or the server's Nagle would hold its next answers back).
    if (in_flight_.size() <= window_ / 2 && fill_window(messages, next)) {
      co_await net::with_timeout(write_out(), write_timeout_, what);
    }
    co_await net::with_timeout(read_answers(report), write_timeout_, what);
  }
}

void SyslogRelpTransport::answer(const RelpFrame& frame, SyslogSendReport& report) {
  const std::string& server = connector_.address().description;
  if (frame.command == "serverclose") {
    throw SyslogTransportFailure(SyslogFailure::kClosed,
                                 fmt::format("the RELP server at {} closed the session", server));
  }
  // Answers come in order: the first in flight, unless the server skipped one.
  const auto found = std::find_if(in_flight_.begin(), in_flight_.end(),
                                  [&](const auto& sent) { return sent.first == frame.txnr; });
  const unsigned status = relp_response_status(frame.data);
  if (frame.command != "rsp" || found == in_flight_.end() || status == 0) {
    throw std::runtime_error(fmt::format("unexpected '{} {} {}' from {}", frame.txnr, frame.command,
                                         frame.data.substr(0, 80), server));
  }
  const std::size_t index = found->second;
  in_flight_.erase(found);
  if (status == 200) {
    report.states[index] = SyslogSendReport::State::kConfirmed;
    return;
  }
  report.states[index] = SyslogSendReport::State::kRefused;
  report.refusals[index] =
      fmt::format("the RELP server at {} answered '{}'", server, frame.data.substr(0, 200));
}

asio::awaitable<void> SyslogRelpTransport::write_out() {
  boost::system::error_code error;
  co_await connection_->visit([&](auto& stream) {
    return asio::async_write(stream, asio::buffer(out_),
                             asio::redirect_error(asio::use_awaitable, error));
  });
  if (error) {
    throw SyslogTransportFailure(SyslogFailure::kClosed,
                                 fmt::format("write to the RELP server at {}: {}",
                                             connector_.address().description, error.message()));
  }
  unwritten_ = 0;
}

asio::awaitable<void> SyslogRelpTransport::read_some() {
  std::array<char, 16 * 1024> chunk;
  boost::system::error_code error;
  const std::size_t count = co_await connection_->visit([&](auto& stream) {
    return stream.async_read_some(asio::buffer(chunk),
                                  asio::redirect_error(asio::use_awaitable, error));
  });
  in_.append(chunk.data(), count);
  // Our ACK at once, not 40 ms later: between two writes of ours nothing carries it, and a
  // server with Nagle on (librelp) sends its next answers only once it came. Linux resets the
  // flag: set again after each read.
  const int quick = 1;
  ::setsockopt(connection_->native_socket(), IPPROTO_TCP, TCP_QUICKACK, &quick, sizeof(quick));
  if (error && count == 0) {
    throw SyslogTransportFailure(SyslogFailure::kClosed,
                                 fmt::format("the RELP server at {} closed the connection: {}",
                                             connector_.address().description, error.message()));
  }
}

asio::awaitable<void> SyslogRelpTransport::read_answers(SyslogSendReport& report) {
  for (bool answered = false; !answered;) {
    co_await read_some();
    // Every whole frame read, then the bytes they took dropped at once (not frame by frame).
    std::size_t at = 0;
    std::size_t consumed = 0;
    while (auto frame =
               parse_relp_frame(std::string_view(in_).substr(at), consumed, kMaxAnswerBytes)) {
      at += consumed;
      answer(*frame, report);
      answered = true;
    }
    in_.erase(0, at);
  }
}

asio::awaitable<RelpFrame> SyslogRelpTransport::read_frame() {
  for (;;) {
    std::size_t consumed = 0;
    if (auto frame = parse_relp_frame(in_, consumed, kMaxAnswerBytes)) {
      in_.erase(0, consumed);
      co_return std::move(*frame);
    }
    co_await read_some();
  }
}

}  // namespace lc
