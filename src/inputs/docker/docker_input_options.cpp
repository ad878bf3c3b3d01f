#include "inputs/docker/docker_input_options.hpp"

#include <array>

#include "config/agent_config.hpp"
#include "config/config_value_checks.hpp"
#include "config/duration_text.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

void read_container_filter(YamlSection& section, ContainerFilterConfig& filter) {
  section.read_string_list(
      {"include_names",
       "Globs (`fnmatch`) on the container name without the leading `/`. Empty: every container."},
      filter.include_names);
  section.read_string_list(
      {"exclude_names",
       "Globs on the container name; an excluded container is never followed, even if included."},
      filter.exclude_names);
  section.read_string_list({"include_labels",
                            "`key` (label present) or `key=value` selectors; a container must "
                            "match one. Empty: no label requirement."},
                           filter.include_labels, check_label_selector);
  section.read_string_list(
      {"exclude_labels", "`key` or `key=value`; a container matching any is skipped."},
      filter.exclude_labels, check_label_selector);
  section.read_string_list(
      {"include_images",
       "Globs on the image name as the container reports it (`nginx:*`). Empty: every image."},
      filter.include_images);
  section.read_string_list(
      {"exclude_images", "Globs on the image name; matching containers are skipped."},
      filter.exclude_images);
}

constexpr std::array<EnumChoice<DockerInputConfig::StartAt>, 2> kStartAtChoices{{
    {"beginning", DockerInputConfig::StartAt::kBeginning},
    {"now", DockerInputConfig::StartAt::kNow},
}};

constexpr std::array<EnumChoice<DockerInputConfig::Mode>, 3> kModeChoices{{
    {"auto", DockerInputConfig::Mode::kAuto},
    {"api", DockerInputConfig::Mode::kApi},
    {"file", DockerInputConfig::Mode::kFile},
}};

}  // namespace

void read_docker_input_options(YamlSection& section, DockerInputConfig& input) {
  section.read_section("filter",
                       [&](YamlSection& filter) { read_container_filter(filter, input.filter); });
  section.read_enum<DockerInputConfig::StartAt>(
      {"start_at",
       "Where to start a container seen for the first time (no checkpoint): `beginning` reads its "
       "whole log so short-lived containers lose nothing; `now` reads only new lines."},
      input.start_at, kStartAtChoices);
  section.read_enum<DockerInputConfig::Mode>(
      {"mode",
       "How container logs are read. `auto`: a container using the `json-file` log driver whose "
       "`LogPath` the agent can read is read straight from that file (dockerd does no work per "
       "line; see issue \"fast path\" in docs/architecture.md); others through the Engine API. "
       "`api`: always through the Engine API. `file`: only json-file logs; containers with another "
       "driver or an unreadable log are not captured (logged, counted in "
       "`log_capturer_docker_containers_unreadable_total`)."},
      input.mode, kModeChoices);
  section.read_string({"host_root",
                       "Prefix added to the `LogPath` dockerd reports, for an agent that sees the "
                       "host's files elsewhere (running in a container with the host's "
                       "`/var/lib/docker` mounted under `/host`: `/host`)."},
                      input.host_root);
  section.read_duration({"file_poll_interval",
                         "File mode: how often a log directory is polled where inotify is "
                         "unavailable (watch limit reached, odd file systems)."},
                        input.file_poll_interval);
  section.read_count(
      {"max_pinned_files",
       "File mode: a follower opens its container's json-file log as soon as it begins, before it "
       "waits for room in the pipeline, so that a `docker run --rm` container removed while a sink "
       "is slow or down is still read to its end from the open file. While this many json-file "
       "logs are open already, a new follower opens its log only when it first reads; a log gone "
       "by then is counted in `log_capturer_json_file_logs_missed_total`. `0`: never open early."},
      input.max_pinned_files, 0);
  section.read_byte_size({"max_line_bytes",
                          "Longer lines (after joining Docker's 16 KiB pieces) are cut to this "
                          "length and flagged truncated."},
                         input.max_line_bytes);
  section.read_duration(
      {"reconcile_interval",
       "A full container list every so often catches anything the events stream missed."},
      input.reconcile_interval);
  section.read_duration(
      {"stream_retry_initial",
       "First delay before reopening a log stream that ended while its container still runs, or "
       "whose opening the engine refused (any error but 404 and 501); doubles..."},
      input.stream_retry_initial);
  section.read_duration({"stream_retry_max", "...up to this delay."}, input.stream_retry_max);
  section.read_string({"self_container_id",
                       "Id (12 to 64 lowercase hex digits) of the agent's own container, never "
                       "captured. Empty: detected from `/proc/self`."},
                      input.self_container_id, check_container_id);
  section.require_not_above("stream_retry_initial", input.stream_retry_initial, "stream_retry_max",
                            input.stream_retry_max, format_duration);
}

std::chrono::milliseconds json_file_poll_interval(const AgentConfig& config) {
  const InputSpec* docker = config.enabled_input_of_type("docker");
  return docker != nullptr ? docker->options_as<DockerInputConfig>().file_poll_interval
                           : DockerInputConfig{}.file_poll_interval;
}

}  // namespace lc
