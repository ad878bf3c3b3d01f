#pragma once

#include <boost/asio/awaitable.hpp>
#include <span>
#include <string>

#include "metrics/metrics_scope.hpp"
#include "sinks/common/sink_delivery_counters.hpp"
#include "sinks/console/console_sink_options.hpp"
#include "sinks/file_store/ndjson_record_encoder.hpp"
#include "sinks/sink.hpp"

namespace lc {

// Writes records to a file descriptor the agent was given (its standard output or error): a
// batch counts as delivered once all of its bytes are written (nothing acknowledges them
// further). A blocking write to a full pipe nobody reads blocks the sinks' loop (every sink): it
// is a debugging sink. A non-blocking one that is full (EAGAIN) is retried from where it
// stopped; one that cannot be written (closed, EPIPE) holds the sink.
class ConsoleSink : public Sink {
 public:
  // `fd` is not owned: standard output and error outlive the sink.
  ConsoleSink(std::string name, const ConsoleSinkOptions& options, int fd,
              MetricsRegistry& metrics);

  const std::string& name() const override { return name_; }
  boost::asio::awaitable<SinkWriteOutcome> write(std::span<const LogRecord> batch) override;

 private:
  void encode(std::span<const LogRecord> batch);
  // The error number of a failed write, 0 when every byte went out; written_ says how far.
  int write_all();

  const std::string name_;
  const ConsoleSinkOptions options_;
  const int fd_;
  MetricsScope scope_;
  SinkDeliveryCounters delivered_;
  NdjsonRecordEncoder encoder_;
  std::string buffer_;
  // A batch written in part (EAGAIN, an error): its retry goes on from here, so no line is
  // written twice or torn. Recognised by its place and size.
  std::size_t written_ = 0;
  const LogRecord* partial_batch_ = nullptr;
  std::size_t partial_size_ = 0;
};

}  // namespace lc
