#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/timestamp.hpp"

namespace lc::docker {

// One object of the GET /events stream.
struct DockerEvent {
  std::string type;      // "container"
  std::string action;    // "start", "die", "destroy", "rename", "exec_start: sh"...
  std::string id;        // Actor.ID (the container id for container events)
  std::string name;      // Actor.Attributes.name, without '/'
  TimestampNs time = 0;  // timeNano, else time in seconds
};

// nullopt when the line is not a JSON object with Type, Action and an actor id.
std::optional<DockerEvent> parse_docker_event(std::string_view line);

// Cuts a byte stream (read in arbitrary pieces) into '\n'-terminated lines. A line longer than
// max_line_bytes is dropped whole and counted, so memory stays bounded by the limit.
class EventLineSplitter {
 public:
  explicit EventLineSplitter(std::size_t max_line_bytes = 1024 * 1024)
      : max_line_bytes_(max_line_bytes) {}

  // Calls on_line for every complete line in the bytes so far, without its '\n' (and '\r').
  void feed(std::string_view bytes, const std::function<void(std::string_view)>& on_line);

  std::size_t pending_bytes() const { return partial_.size(); }
  std::size_t dropped_lines() const { return dropped_lines_; }

 private:
  std::size_t max_line_bytes_;
  std::string partial_;
  bool discarding_ = false;  // inside an over-long line: skip to its end
  std::size_t dropped_lines_ = 0;
};

}  // namespace lc::docker
