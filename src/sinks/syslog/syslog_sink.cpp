#include "sinks/syslog/syslog_sink.hpp"

#include <fmt/format.h>

#include <boost/asio/this_coro.hpp>
#include <stdexcept>

#include "sinks/syslog/syslog_relp_transport.hpp"
#include "sinks/syslog/syslog_stream_transport.hpp"
#include "sinks/syslog/syslog_udp_transport.hpp"

namespace lc {
namespace {

std::unique_ptr<SyslogTransport> make_transport(const SyslogSinkOptions& options,
                                                SyslogSinkMetrics& metrics) {
  SinkAddress address;
  if (auto problem = parse_syslog_address(options, address)) {
    throw std::invalid_argument(*problem);
  }
  switch (options.protocol) {
    case SyslogSinkOptions::Protocol::kUdp:
      return std::make_unique<SyslogUdpTransport>(std::move(address), options.connect_timeout,
                                                  metrics);
    case SyslogSinkOptions::Protocol::kRelp:
      return std::make_unique<SyslogRelpTransport>(options, std::move(address), metrics);
    case SyslogSinkOptions::Protocol::kTcp:
      break;
  }
  return std::make_unique<SyslogStreamTransport>(options, std::move(address), metrics);
}

// The records of a send the server refused, all with one answer: its setup refuses them (a
// RELP server without the syslog command), not the records; nullopt when it judged them.
std::optional<std::string> refused_by_setup(const SyslogSendReport& report) {
  if (report.states.size() < 2 || report.refusals.empty()) return std::nullopt;
  for (std::size_t i = 0; i < report.states.size(); ++i) {
    if (report.states[i] != SyslogSendReport::State::kRefused ||
        report.refusals[i] != report.refusals[0]) {
      return std::nullopt;
    }
  }
  return report.refusals[0];
}

}  // namespace

SyslogSink::SyslogSink(std::string name, const SyslogSinkOptions& options, MetricsRegistry& metrics,
                       std::string host)
    : name_(std::move(name)),
      metrics_(metrics, name_),
      encoder_(options, std::move(host)),
      transport_(make_transport(options, metrics_)) {}

SyslogSink::~SyslogSink() = default;

void SyslogSink::stop_waiting_by(std::chrono::steady_clock::time_point deadline) {
  stopping_ = true;
  transport_->stop();
  if (!writing_ || !stop_timer_) return;
  stop_timer_->expires_at(deadline);
  // A destroyed sink cancels its timer: the handler then touches nothing.
  stop_timer_->async_wait([this](const boost::system::error_code& error) {
    if (!error && writing_) transport_->interrupt();
  });
}

void SyslogSink::encode(const BatchSlice& slice) {
  messages_.clear();
  truncated_.clear();
  for (const LogRecord& record : slice.records) {
    truncated_.push_back(encoder_.append(record, messages_.text));
    messages_.ends.push_back(messages_.text.size());
  }
}

void SyslogSink::settle_report(const BatchSlice& slice, const SyslogSendReport& report) {
  delivered_places_.clear();
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < report.states.size(); ++i) {
    if (report.states[i] == SyslogSendReport::State::kConfirmed) {
      delivered_places_.push_back(slice.places[i]);
      bytes += messages_[i].size();
      if (truncated_[i]) metrics_.records_truncated.inc();  // once: a record is delivered once
    } else if (report.states[i] == SyslogSendReport::State::kRefused) {
      attempt_.refused(slice.from(i).first(1), report.refusals[i]);
    }
  }
  attempt_.delivered(delivered_places_);
  metrics_.delivered.records.inc(delivered_places_.size());
  metrics_.delivered.bytes.inc(bytes);
}

SinkWriteOutcome SyslogSink::retry_after_failure(const SyslogSendReport& report) {
  // A server that takes the records' connection down, again and again, with none of them
  // confirmed (a RELP server aborting on a message too large for it) may be refusing these
  // records: after 3 such breaks the retry judges them, so that retry.limit can end it.
  constexpr int kBreaksBeforeJudging = 3;
  const bool broke_while_sending =
      report.failure_kind != SyslogFailure::kConnect && report.failure_kind != SyslogFailure::kTls;
  if (report.confirmed() > 0 || !broke_while_sending) {
    fruitless_breaks_ = 0;
  } else {
    ++fruitless_breaks_;
  }
  if (fruitless_breaks_ < kBreaksBeforeJudging) return attempt_.retry({*report.failure, true});
  return attempt_.retry(
      {*report.failure + fmt::format(" (the connection broke {} times in a row while these "
                                     "records were sent: the server may be refusing them)",
                                     fruitless_breaks_),
       false});
}

boost::asio::awaitable<SinkWriteOutcome> SyslogSink::write(std::span<const LogRecord> batch) {
  if (!stop_timer_) stop_timer_.emplace(co_await boost::asio::this_coro::executor);
  writing_ = true;
  struct Done {
    bool& writing;
    ~Done() { writing = false; }
  } done{writing_};
  // A connection the server closed while idle fails the first send: one more, at once, on a
  // new connection; a second failure waits for the pipeline's retry.
  for (int attempt = 0;; ++attempt) {
    const BatchSlice slice = attempt_.begin(batch);
    if (!slice.records.empty()) {
      encode(slice);
      const SyslogSendReport report = co_await transport_->send(messages_);
      if (auto setup = refused_by_setup(report)) {
        co_return SinkWriteOutcome::hold(SinkHoldCause::kMisconfiguration,
                                         *setup + " (to every record sent)");
      }
      settle_report(slice, report);
      if (report.failure) {
        if (attempt == 0 && report.failure_kind == SyslogFailure::kClosed && !stopping_) continue;
        co_return retry_after_failure(report);
      }
      if (report.confirmed() > 0) fruitless_breaks_ = 0;
    }
    SinkWriteOutcome outcome = attempt_.settle(batch, "the syslog server");
    if (outcome.ok()) metrics_.delivered.batches.inc();
    co_return outcome;
  }
}

}  // namespace lc
