#include "sinks/console/console_sink.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace lc {

ConsoleSink::ConsoleSink(std::string name, const ConsoleSinkOptions& options, int fd,
                         MetricsRegistry& metrics)
    : name_(std::move(name)),
      options_(options),
      fd_(fd),
      scope_(metrics),
      delivered_(scope_, name_) {}

boost::asio::awaitable<SinkWriteOutcome> ConsoleSink::write(std::span<const LogRecord> batch) {
  if (written_ == 0 || batch.data() != partial_batch_ || batch.size() != partial_size_) {
    encode(batch);
    written_ = 0;
  }
  partial_batch_ = batch.data();
  partial_size_ = batch.size();
  if (const int error = write_all(); error != 0) {
    if (error == EAGAIN || error == EWOULDBLOCK) {
      co_return SinkWriteOutcome::retry_not_the_records("the agent's console is full (EAGAIN)");
    }
    // A closed console does not come back by itself; the records are kept, not dropped.
    co_return SinkWriteOutcome::hold(
        SinkHoldCause::kMisconfiguration,
        fmt::format("cannot write to the agent's {}: {}",
                    options_.stream == ConsoleSinkOptions::Stream::kStdout ? "stdout" : "stderr",
                    std::strerror(error)));
  }
  delivered_.records.inc(batch.size());
  delivered_.bytes.inc(buffer_.size());
  delivered_.batches.inc();
  written_ = 0;
  partial_batch_ = nullptr;
  co_return SinkWriteOutcome::delivered();
}

void ConsoleSink::encode(std::span<const LogRecord> batch) {
  buffer_.clear();
  for (const LogRecord& record : batch) {
    if (options_.encoding == ConsoleSinkOptions::Encoding::kNdjson) {
      encoder_.append(buffer_, record);
    } else {
      buffer_ += record.message;
      buffer_ += '\n';
    }
  }
}

int ConsoleSink::write_all() {
  while (written_ < buffer_.size()) {
    const ssize_t count = ::write(fd_, buffer_.data() + written_, buffer_.size() - written_);
    if (count < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    written_ += static_cast<std::size_t>(count);
  }
  return 0;
}

}  // namespace lc
