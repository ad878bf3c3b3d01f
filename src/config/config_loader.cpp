#include "config/config_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/byte_size_text.hpp"
#include "config/config_value_checks.hpp"
#include "config/duration_text.hpp"
#include "config/environment_expansion.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

// One small function per section: a new input, processor or sink adds its own reader and one
// read_section() line in its parent, and nothing else changes.

std::string show_count(std::uint32_t value) { return std::to_string(value); }

void read_docker(YamlSection& section, DockerConfig& docker) {
  section.read_string("host", docker.host, check_docker_host);
  section.read_bool("tls", docker.tls);
  section.read_bool("tls_verify", docker.tls_verify);
  section.read_string("cert_path", docker.cert_path);
  section.read_string("ca_file", docker.ca_file);
  section.read_string("cert_file", docker.cert_file);
  section.read_string("key_file", docker.key_file);
  section.read_string("api_version", docker.api_version, check_api_version);
  section.read_count("max_idle_connections", docker.max_idle_connections, 0);
  section.read_count("max_connections", docker.max_connections);
  section.read_duration("idle_timeout", docker.idle_timeout);
  section.read_duration("connect_timeout", docker.connect_timeout);
  section.read_duration("request_timeout", docker.request_timeout);
  section.read_duration("reconnect_backoff_initial", docker.reconnect_backoff_initial);
  section.read_duration("reconnect_backoff_max", docker.reconnect_backoff_max);
  section.require_not_above("max_idle_connections", docker.max_idle_connections, "max_connections",
                            docker.max_connections, show_count);
  section.require_not_above("reconnect_backoff_initial", docker.reconnect_backoff_initial,
                            "reconnect_backoff_max", docker.reconnect_backoff_max, format_duration);
}

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

void read_docker_input(YamlSection& section, DockerInputConfig& input) {
  section.read_bool("enabled", input.enabled);
  section.read_section("filter",
                       [&](YamlSection& filter) { read_container_filter(filter, input.filter); });
  section.read_enum<DockerInputConfig::StartAt>("start_at", input.start_at, kStartAtChoices);
  section.read_byte_size("max_line_bytes", input.max_line_bytes);
  section.read_duration("reconcile_interval", input.reconcile_interval);
  section.read_duration("stream_retry_initial", input.stream_retry_initial);
  section.read_duration("stream_retry_max", input.stream_retry_max);
  section.read_string("self_container_id", input.self_container_id, check_container_id);
  section.require_not_above("stream_retry_initial", input.stream_retry_initial, "stream_retry_max",
                            input.stream_retry_max, format_duration);
}

void read_inputs(YamlSection& section, AgentConfig& config) {
  section.read_section(
      "docker", [&](YamlSection& docker) { read_docker_input(docker, config.docker_input); });
}

void read_pipeline(YamlSection& section, PipelineConfig& pipeline) {
  section.read_byte_size("memory_limit_bytes", pipeline.memory_limit_bytes);
  section.read_count("batch_max_records", pipeline.batch_max_records);
  section.read_byte_size("batch_max_bytes", pipeline.batch_max_bytes);
  section.read_duration("flush_interval", pipeline.flush_interval);
  section.read_duration("retry_initial", pipeline.retry_initial);
  section.read_duration("retry_max", pipeline.retry_max);
  section.require_not_above("batch_max_bytes", pipeline.batch_max_bytes, "memory_limit_bytes",
                            pipeline.memory_limit_bytes, format_byte_size);
  section.require_not_above("retry_initial", pipeline.retry_initial, "retry_max",
                            pipeline.retry_max, format_duration);
}

constexpr std::array<EnumChoice<FileStoreConfig::Fsync>, 3> kFsyncChoices{{
    {"every_batch", FileStoreConfig::Fsync::kEveryBatch},
    {"interval", FileStoreConfig::Fsync::kInterval},
    {"never", FileStoreConfig::Fsync::kNever},
}};

void read_file_store(YamlSection& section, FileStoreConfig& store) {
  section.read_bool("enabled", store.enabled);
  section.read_string("directory", store.directory);
  section.read_byte_size("max_file_bytes", store.max_file_bytes);
  section.read_count("max_files", store.max_files);
  section.read_enum<FileStoreConfig::Fsync>("fsync", store.fsync, kFsyncChoices);
  section.read_duration("fsync_interval", store.fsync_interval);
}

void read_sinks(YamlSection& section, SinksConfig& sinks) {
  section.read_section("file_store",
                       [&](YamlSection& store) { read_file_store(store, sinks.file_store); });
}

void read_server(YamlSection& section, ServerConfig& server) {
  section.read_string("listen", server.listen, check_listen_address);
  section.read_string("metrics_listen", server.metrics_listen, check_listen_address);
  if (auto problem = check_distinct_listeners(server.listen, server.metrics_listen)) {
    section.fail("metrics_listen", *problem);
  }
}

void read_agent_config(YamlSection& root, AgentConfig& config) {
  root.read_string("data_dir", config.data_dir, check_not_empty);
  root.read_choice("log_level", config.log_level, kLogLevels);
  root.read_duration("checkpoint_interval", config.checkpoint_interval);
  root.read_duration("shutdown_timeout", config.shutdown_timeout);
  root.read_section("docker", [&](YamlSection& docker) { read_docker(docker, config.docker); });
  root.read_section("inputs", [&](YamlSection& inputs) { read_inputs(inputs, config); });
  root.read_section("pipeline",
                    [&](YamlSection& pipeline) { read_pipeline(pipeline, config.pipeline); });
  root.read_section("sinks", [&](YamlSection& sinks) { read_sinks(sinks, config.sinks); });
  root.read_section("server", [&](YamlSection& server) { read_server(server, config.server); });
}

YAML::Node parse_single_document(const std::string& text, const std::string& source_name) {
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(text);
  } catch (const YAML::Exception& error) {
    throw ConfigError(fmt::format("{}:{}:{}: invalid YAML: {}", source_name, error.mark.line + 1,
                                  error.mark.column + 1, error.msg));
  }
  if (documents.size() > 1) {
    throw ConfigError(
        fmt::format("{}: expected one YAML document, found {} (remove the extra "
                    "'---' separators)",
                    source_name, documents.size()));
  }
  return documents.empty() ? YAML::Node() : documents.front();
}

}  // namespace

AgentConfig parse_config_text(std::string_view yaml_text, const std::string& source_name) {
  const std::string expanded = expand_environment(yaml_text, source_name);
  const YAML::Node root = parse_single_document(expanded, source_name);
  ConfigDiagnostics diagnostics(source_name);
  AgentConfig config;
  YamlSection section(root, "", ConfigLocation{1, 1}, diagnostics);
  read_agent_config(section, config);
  section.finish();
  diagnostics.throw_if_any();
  return config;
}

AgentConfig load_config_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw ConfigError(fmt::format("{}: cannot read the configuration: it is a directory", path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw ConfigError(
        fmt::format("{}: cannot read the configuration: {}", path, std::strerror(errno)));
  }
  // Read at most one byte past the limit: enough to know the file is too large.
  std::string text(kMaxConfigFileBytes + 1, '\0');
  file.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (file.bad()) {
    throw ConfigError(fmt::format("{}: cannot read the configuration: read error", path));
  }
  text.resize(static_cast<std::size_t>(file.gcount()));
  if (text.size() > kMaxConfigFileBytes) {
    throw ConfigError(fmt::format("{}: the configuration is larger than {}; is it the right file?",
                                  path, format_byte_size(kMaxConfigFileBytes)));
  }
  return parse_config_text(text, path);
}

std::vector<std::string> config_key_paths() {
  std::vector<std::string> paths;
  ConfigDiagnostics diagnostics("<catalog>");
  AgentConfig config;
  YamlSection section(YAML::Node(), "", ConfigLocation{}, diagnostics, &paths);
  read_agent_config(section, config);
  return paths;
}

}  // namespace lc
