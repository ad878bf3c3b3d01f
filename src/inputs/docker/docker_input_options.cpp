#include "inputs/docker/docker_input_options.hpp"

#include <array>

#include "config/config_value_checks.hpp"
#include "config/duration_text.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

void read_container_filter(YamlSection& section, ContainerFilterConfig& filter) {
  section.read_string_list("include_names", filter.include_names);
  section.read_string_list("exclude_names", filter.exclude_names);
  section.read_string_list("include_labels", filter.include_labels, check_label_selector);
  section.read_string_list("exclude_labels", filter.exclude_labels, check_label_selector);
  section.read_string_list("include_images", filter.include_images);
  section.read_string_list("exclude_images", filter.exclude_images);
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
  section.read_enum<DockerInputConfig::StartAt>("start_at", input.start_at, kStartAtChoices);
  section.read_enum<DockerInputConfig::Mode>("mode", input.mode, kModeChoices);
  section.read_string("host_root", input.host_root);
  section.read_duration("file_poll_interval", input.file_poll_interval);
  section.read_count("max_pinned_files", input.max_pinned_files, 0);
  section.read_byte_size("max_line_bytes", input.max_line_bytes);
  section.read_duration("reconcile_interval", input.reconcile_interval);
  section.read_duration("stream_retry_initial", input.stream_retry_initial);
  section.read_duration("stream_retry_max", input.stream_retry_max);
  section.read_string("self_container_id", input.self_container_id, check_container_id);
  section.require_not_above("stream_retry_initial", input.stream_retry_initial, "stream_retry_max",
                            input.stream_retry_max, format_duration);
}

}  // namespace lc
