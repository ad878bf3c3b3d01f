#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "config/component_options.hpp"

namespace lc {

struct AgentConfig;
class YamlSection;

using Duration = std::chrono::milliseconds;  // as in config/agent_config.hpp

struct ContainerFilterConfig {
  // Globs (fnmatch) on the container name (without '/'). Empty include: every container.
  std::vector<std::string> include_names;
  std::vector<std::string> exclude_names;
  // "key" (label present) or "key=value".
  std::vector<std::string> include_labels;
  std::vector<std::string> exclude_labels;
  // Globs on the image name as the container reports it.
  std::vector<std::string> include_images;
  std::vector<std::string> exclude_images;

  bool operator==(const ContainerFilterConfig&) const = default;
};

// inputs.<name>: {type: docker} (inputs.docker for short): the containers of the engine that
// the top-level docker.* keys connect to. An agent has at most one.
struct DockerInputConfig : OptionsOf<DockerInputConfig> {
  ContainerFilterConfig filter;
  enum class StartAt { kBeginning, kNow };
  // Where to start a container seen for the first time (no checkpoint).
  StartAt start_at = StartAt::kBeginning;
  // How a container's log is read. kAuto: its json-file log directly when the container uses
  // the json-file driver and its LogPath is readable (dockerd does no work per line), else
  // through the Engine API. kApi: always the API. kFile: only json-file logs; other
  // containers are not captured (a warning and a metric say which).
  enum class Mode { kAuto, kApi, kFile };
  Mode mode = Mode::kAuto;
  // Prefix for the LogPath dockerd reports, when the agent sees the host's files elsewhere
  // (in a container with the host's /var/lib/docker mounted under /host: "/host").
  std::string host_root;
  // File mode: how often directories are polled where inotify is unavailable.
  Duration file_poll_interval{1'000};
  // File mode: a follower opens its container's log as soon as it begins (so that a container
  // removed while the sinks are slow is still read), while fewer than this many json-file logs
  // are open; past it, a follower opens its log only when it first reads.
  std::uint32_t max_pinned_files = 4096;
  // Longer lines (after joining Docker's 16 KiB pieces) are cut and flagged truncated.
  std::uint32_t max_line_bytes = 1024 * 1024;
  // Periodic full list to catch anything the events stream missed.
  Duration reconcile_interval{60'000};
  // Backoff before reopening a stream that ended while its container still runs.
  Duration stream_retry_initial{100};
  Duration stream_retry_max{10'000};
  // Id of the agent's own container, never captured. Empty: detected from /proc/self.
  std::string self_container_id;

  bool operator==(const DockerInputConfig&) const = default;
};

// The docker input's file_poll_interval, or its default without one: every json-file reader's
// polling interval where inotify is unavailable (they share one watcher).
std::chrono::milliseconds json_file_poll_interval(const AgentConfig& config);

// The docker input's own keys (enabled and type are the loader's), with their checks.
void read_docker_input_options(YamlSection& section, DockerInputConfig& input);

}  // namespace lc
