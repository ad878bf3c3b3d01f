#pragma once

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/container_position.hpp"
#include "core/file_position.hpp"
#include "core/log_record.hpp"

namespace lc {
class CheckpointTracker;
class Pipeline;
}  // namespace lc

namespace lc::docker_input {

struct DockerInputMetrics;

// The last step of every container follower: counts the records, moves the container's
// position past them, tells the checkpoint tracker what was submitted (and, in file mode,
// where the reader stands), then hands them to the pipeline, waiting for room under its memory
// bound: this wait is the back-pressure that stops a follower from reading further.
// `records` is left empty.
class ContainerRecordSubmitter {
 public:
  ContainerRecordSubmitter(Pipeline& pipeline, CheckpointTracker& tracker,
                           DockerInputMetrics& metrics)
      : pipeline_(pipeline), tracker_(tracker), metrics_(metrics) {}

  boost::asio::awaitable<void> submit(const std::string& container_id, ContainerPosition& position,
                                      std::vector<LogRecord>& records,
                                      const std::optional<FileResumePoint>& file = std::nullopt);

 private:
  Pipeline& pipeline_;
  CheckpointTracker& tracker_;
  DockerInputMetrics& metrics_;
};

}  // namespace lc::docker_input
