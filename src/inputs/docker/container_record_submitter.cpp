#include "inputs/docker/container_record_submitter.hpp"

#include "inputs/docker/docker_input_metrics.hpp"
#include "pipeline/checkpoint_tracker.hpp"
#include "pipeline/pipeline.hpp"

namespace lc::docker_input {

boost::asio::awaitable<void> ContainerRecordSubmitter::submit(
    const std::string& container_id, ContainerPosition& position, std::vector<LogRecord>& records,
    const std::optional<FileResumePoint>& file) {
  if (records.empty()) co_return;
  std::uint64_t bytes = 0;
  std::uint64_t stderr_lines = 0;
  for (const LogRecord& record : records) {
    bytes += record.message.size();
    stderr_lines += record.stream == LogStream::kStderr;
    record.advance(position);
  }
  metrics_.lines_stderr.inc(stderr_lines);
  metrics_.lines_stdout.inc(records.size() - stderr_lines);
  metrics_.bytes.inc(bytes);
  tracker_.on_submitted(container_id, records.size(), position, file);
  std::vector<LogRecord> batch;
  batch.swap(records);
  co_await pipeline_.submit(std::move(batch));
}

}  // namespace lc::docker_input
