#pragma once

#include <functional>
#include <string>

#include "core/container_metadata.hpp"
#include "core/container_position.hpp"

namespace lc::docker_input {

// How a container's follower task ended.
enum class StreamEnd {
  kExited,       // the container stopped and its log was read to the end
  kGone,         // the container no longer exists
  kUnsupported,  // its log cannot be read this way
  kStopped,      // the agent is shutting down
};

// One followed container, whichever way its log is read: through the Engine API
// (ContainerLogStream) or straight from its json-file log (ContainerLogFileFollower).
// ContainerDiscovery owns the followers and tells them what the events say; each runs as one
// task on the input executor and reports its end through the FinishedCallback.
class ContainerFollower {
 public:
  using FinishedCallback = std::function<void(const std::string& id, StreamEnd how)>;

  virtual ~ContainerFollower() = default;

  virtual void start() = 0;
  // Shutdown: stop reading at once; the task ends without reading further.
  virtual void stop() = 0;
  // The container started again (restart) while this task was finishing: keep following.
  virtual void notify_started() = 0;
  // The container stopped (die event, or a list that says so): read its log to the end.
  virtual void notify_stopped() = 0;
  // The container was removed: drop its checkpoint once its last lines are delivered.
  virtual void retire_when_done() = 0;
  virtual void update_metadata(ContainerMetadataPtr container) = 0;

  virtual const ContainerMetadataPtr& metadata() const = 0;
  // Just after the last record submitted.
  virtual const ContainerPosition& position() const = 0;
  // "api" or "file", for the HTTP API.
  virtual const char* mode() const = 0;
};

}  // namespace lc::docker_input
