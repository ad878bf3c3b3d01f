#include "sinks/syslog/syslog_stream_transport.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <boost/asio/buffer.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>
#include <limits>

#include "net/tcp_send_queue.hpp"
#include "net/with_timeout.hpp"

namespace lc {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// How far back confirmed messages count as at risk when the connection breaks.
constexpr std::chrono::seconds kAtRiskWindow{1};
// TLS writes this much, then waits for it to be acknowledged: its records' own bytes hide
// which messages a partly drained queue holds.
constexpr std::size_t kTlsChunkBytes = 256 * 1024;

}  // namespace

SyslogStreamTransport::SyslogStreamTransport(const SyslogSinkOptions& options, SinkAddress address,
                                             SyslogSinkMetrics& metrics)
    : connector_(options, std::move(address), metrics),
      metrics_(metrics),
      newline_framing_(options.framing == SyslogSinkOptions::Framing::kNewline),
      write_timeout_(options.write_timeout),
      what_("the syslog server at " + connector_.address().description) {}

void SyslogStreamTransport::drop_link(bool reset) noexcept {
  if (!link_) return;
  link_->detached = true;
  if (reset) {
    link_->connection->abort();
  } else {
    link_->connection->close();
  }
  link_.reset();
}

void SyslogStreamTransport::close() noexcept { drop_link(false); }

void SyslogStreamTransport::stop() {
  stopping_ = true;
  // The watcher's read would keep the loop busy: it ends (a send still running cancels it
  // when done); later breaks are seen by the next send.
  if (link_ && !sending_) {
    link_->detached = true;
    link_->connection->cancel();
  }
}

void SyslogStreamTransport::interrupt() noexcept {
  if (!sending_ || !link_) return;
  interrupted_ = true;
  link_->detached = true;
  link_->connection->abort();
}

asio::awaitable<void> SyslogStreamTransport::watch(std::shared_ptr<Link> link) {
  // TLS's own records (session tickets) are read and dropped by the TLS layer.
  std::array<char, 256> ignored;
  for (;;) {
    boost::system::error_code error;
    co_await link->connection->visit([&](auto& stream) {
      return stream.async_read_some(asio::buffer(ignored),
                                    asio::redirect_error(asio::use_awaitable, error));
    });
    // Closed or no longer watched by the transport, which may be gone.
    if (link->detached || error == asio::error::operation_aborted) co_return;
    if (error) {
      count_break(*link, SyslogFailure::kClosed);
      co_return;
    }
  }
}

asio::awaitable<void> SyslogStreamTransport::open_link() {
  auto link = std::make_shared<Link>();
  link->connection = co_await connector_.open();
  link_ = std::move(link);
  if (!stopping_) {
    asio::co_spawn(co_await asio::this_coro::executor, watch(link_), asio::detached);
  }
}

void SyslogStreamTransport::frame(const SyslogMessages& messages) {
  frames_.clear();
  frame_ends_.clear();
  for (std::size_t i = 0; i < messages.size(); ++i) {
    const std::string_view message = messages[i];
    if (newline_framing_) {
      for (const char c : message) {
        if (c == '\n') {
          frames_ += "#012";  // rsyslog's own escape for a control character
        } else {
          frames_ += c;
        }
      }
      frames_ += '\n';
    } else {
      fmt::format_to(std::back_inserter(frames_), "{} ", message.size());
      frames_ += message;
    }
    frame_ends_.push_back(frames_.size());
  }
}

asio::awaitable<SyslogSendReport> SyslogStreamTransport::send(const SyslogMessages& messages) {
  SyslogSendReport report(messages.size());
  frame(messages);
  written_ = 0;
  confirmed_ = 0;
  sending_ = true;
  interrupted_ = false;
  try {
    if (link_ && link_->broken) close();  // counted when it broke: a new connection
    if (!link_) co_await open_link();
    co_await write_and_confirm(report);
  } catch (const std::runtime_error& error) {
    report.fail_with(error, "send to " + what_);
  }
  sending_ = false;
  if (interrupted_ && report.failure) report.fail_stopping(what_);
  if (report.failure) {
    if (link_) {
      count_break(*link_, report.failure_kind);
    } else {
      metrics_.failures(report.failure_kind).inc();  // connecting failed
    }
    count_resent(report);
    drop_link(true);
  } else if (stopping_ && link_ && !link_->detached) {
    link_->detached = true;  // stop() came during the send: the watcher ends now
    link_->connection->cancel();
  }
  co_return report;
}

asio::awaitable<void> SyslogStreamTransport::write_and_confirm(SyslogSendReport& report) {
  const bool tls = link_->connection->tls();
  while (written_ < frames_.size()) {
    co_await write_up_to(tls ? tls_chunk_end() : frames_.size(), report);
    if (tls) co_await drain(report);
  }
  co_await drain(report);
}

std::size_t SyslogStreamTransport::tls_chunk_end() const {
  const auto end =
      std::lower_bound(frame_ends_.begin(), frame_ends_.end(), written_ + kTlsChunkBytes);
  return end == frame_ends_.end() ? frames_.size() : *end;
}

asio::awaitable<void> SyslogStreamTransport::write_up_to(std::size_t end,
                                                         SyslogSendReport& report) {
  const std::string what = "write to " + what_;
  while (written_ < end) {
    co_await net::with_timeout(write_some(end), write_timeout_, what);
    if (!link_->connection->tls()) observe_queue(report);
  }
}

asio::awaitable<std::size_t> SyslogStreamTransport::write_some(std::size_t end) {
  boost::system::error_code error;
  const std::size_t count = co_await link_->connection->visit([&](auto& stream) {
    return stream.async_write_some(asio::buffer(frames_.data() + written_, end - written_),
                                   asio::redirect_error(asio::use_awaitable, error));
  });
  written_ += count;
  if (error) {
    throw SyslogTransportFailure(SyslogFailure::kClosed,
                                 fmt::format("write to {}: {}", what_, error.message()));
  }
  co_return count;
}

asio::awaitable<void> SyslogStreamTransport::drain(SyslogSendReport& report) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  auto pause = std::chrono::microseconds(50);
  auto give_up = Clock::now() + write_timeout_;
  std::size_t least = std::numeric_limits<std::size_t>::max();
  for (;;) {
    const std::size_t unacknowledged = observe_queue(report);
    if (unacknowledged == 0) co_return;
    if (unacknowledged < least) {  // progress: the server reads
      least = unacknowledged;
      give_up = Clock::now() + write_timeout_;
    } else if (Clock::now() >= give_up) {
      throw SyslogTransportFailure(
          SyslogFailure::kTimeout,
          fmt::format("{} acknowledged nothing for {} ms", what_, write_timeout_.count()));
    }
    timer.expires_after(pause);
    co_await timer.async_wait(asio::use_awaitable);
    pause = std::min<std::chrono::microseconds>(pause * 2, std::chrono::milliseconds(10));
  }
}

std::size_t SyslogStreamTransport::observe_queue(SyslogSendReport& report) {
  const auto queue = net::tcp_send_queue(link_->connection->native_socket());
  if (!queue) {
    throw SyslogTransportFailure(SyslogFailure::kClosed, what_ + " reset the connection");
  }
  // The queue holds this send's bytes alone: earlier sends drained before they ended.
  const bool tls = link_->connection->tls();
  if (queue->unacknowledged == 0 || (!tls && queue->unacknowledged <= written_)) {
    confirm_up_to(written_ - std::min(queue->unacknowledged, written_), report);
  }
  if (queue->unacknowledged > 0 && (!queue->established || link_->broken)) {
    throw SyslogTransportFailure(SyslogFailure::kClosed, what_ + " closed the connection");
  }
  return queue->unacknowledged;
}

void SyslogStreamTransport::confirm_up_to(std::size_t acknowledged, SyslogSendReport& report) {
  const std::size_t before = confirmed_;
  while (confirmed_ < frame_ends_.size() && frame_ends_[confirmed_] <= acknowledged) {
    report.states[confirmed_++] = SyslogSendReport::State::kConfirmed;
  }
  if (confirmed_ == before) return;
  if (link_->broken) {
    // Acknowledged, and the server has closed already (its watcher counted the break): these
    // are at risk as much as those acknowledged just before.
    metrics_.records_at_risk.inc(confirmed_ - before);
    return;
  }
  const auto now = Clock::now();
  auto& recent = link_->recent;
  recent.emplace_back(now, confirmed_ - before);
  while (!recent.empty() && recent.front().first < now - kAtRiskWindow) recent.pop_front();
}

void SyslogStreamTransport::count_break(Link& link, SyslogFailure kind) {
  if (link.broken) return;
  link.broken = true;
  metrics_.failures(kind).inc();
  const auto since = Clock::now() - kAtRiskWindow;
  std::size_t at_risk = 0;
  for (const auto& [when, count] : link.recent) {
    if (when >= since) at_risk += count;
  }
  metrics_.records_at_risk.inc(at_risk);
  link.recent.clear();
}

void SyslogStreamTransport::count_resent(const SyslogSendReport& report) {
  // Pending messages with bytes written may have reached the server: they go again.
  std::size_t resent = 0;
  for (std::size_t i = 0; i < report.states.size(); ++i) {
    const std::size_t begin = i == 0 ? 0 : frame_ends_[i - 1];
    if (report.states[i] == SyslogSendReport::State::kPending && begin < written_) ++resent;
  }
  metrics_.records_resent.inc(resent);
}

}  // namespace lc
