#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/input_spec.hpp"
#include "config/processor_spec.hpp"
#include "config/record_selector_config.hpp"
#include "config/sink_spec.hpp"
#include "net/tls_client_options.hpp"

namespace lc {

// The typed configuration: the front door of every component. Defaults here are the
// agent's defaults with no config file; docs/configuration.md documents every field.
// YAML keys are the field names as written here (snake_case), nested as the structs are.

using Duration = std::chrono::milliseconds;

struct DockerConfig {
  // unix:///path, tcp://host:port. Empty: DOCKER_HOST, else unix:///var/run/docker.sock.
  std::string host;
  // TLS (tcp only). Empty: DOCKER_CERT_PATH / DOCKER_TLS_VERIFY conventions.
  bool tls = false;       // use TLS (DOCKER_TLS_VERIFY or DOCKER_CERT_PATH set it too)
  std::string cert_path;  // directory with ca.pem, cert.pem, key.pem
  // tls_verify: verify the daemon's certificate against ca_file; ca_file, cert_file, key_file:
  // override <cert_path>/ca.pem, cert.pem, key.pem.
  net::TlsClientOptions tls_client;
  std::string api_version;  // empty: negotiate with GET /version
  // Keep-alive pool for request/response calls (follow streams are not pooled).
  std::uint32_t max_idle_connections = 4;
  std::uint32_t max_connections = 16;
  Duration idle_timeout{90'000};
  Duration connect_timeout{5'000};
  Duration request_timeout{30'000};
  // Reconnect backoff for the events stream and for an unreachable engine.
  Duration reconnect_backoff_initial{250};
  Duration reconnect_backoff_max{30'000};
  bool operator==(const DockerConfig&) const = default;
};

// Records sinks refuse for good (YAML: dead_letters).
struct DeadLetterConfig {
  bool enabled = true;
  std::string directory;  // empty: <data_dir>/dead_letters
  std::uint64_t max_bytes = 128ull * 1024 * 1024;
  bool operator==(const DeadLetterConfig&) const = default;
};

struct PipelineConfig {
  std::uint64_t memory_limit_bytes = 64ull * 1024 * 1024;
  // Inputs that can read again from disk (container json-files, tailed files) stop reading
  // while the pipeline holds this much: their lines wait on disk, not in memory.
  std::uint64_t read_ahead_bytes = 1024 * 1024;
  // Defaults of every sink's batch.* and retry.* keys.
  std::uint32_t batch_max_records = 4096;
  std::uint64_t batch_max_bytes = 4ull * 1024 * 1024;
  Duration flush_interval{200};
  // A partial batch also goes out as soon as the inputs have nothing more to submit (light
  // load: a line reaches the sinks in milliseconds, not a flush_interval later).
  bool flush_on_idle = true;
  Duration retry_initial{100};
  Duration retry_max{30'000};
  // Attempts at a batch a sink keeps failing transiently before it goes to the dead letters;
  // 0: retry forever (the default: an outage must not lose records).
  std::uint32_t retry_limit = 0;
  bool operator==(const PipelineConfig&) const = default;
};

// What every sink's batch.* and retry.* keys default to.
inline SinkDeliveryConfig delivery_defaults(const PipelineConfig& pipeline) {
  SinkDeliveryConfig delivery;
  delivery.batch = {pipeline.batch_max_records, pipeline.batch_max_bytes, pipeline.flush_interval};
  delivery.retry = {pipeline.retry_initial, pipeline.retry_max, pipeline.retry_limit};
  return delivery;
}

// Where records go (YAML: a list item under routes). A record goes to the sinks of every route
// it matches; with no routes at all, to every sink.
struct RouteConfig {
  RecordSelectorConfig match;      // nothing set: every record
  std::vector<std::string> sinks;  // names of enabled sinks
  bool operator==(const RouteConfig&) const = default;
};

struct ServerConfig {
  std::string listen = "127.0.0.1:8401";          // HTTP API; empty disables
  std::string metrics_listen = "127.0.0.1:8001";  // /metrics; empty disables
  // Host names the API answers to besides loopback (DNS rebinding, cross-site requests).
  std::vector<std::string> allowed_hosts;
  bool operator==(const ServerConfig&) const = default;
};

// config.*: following the configuration file itself.
struct ConfigWatchConfig {
  bool watch = false;              // reload when the file changes (as SIGHUP does)
  Duration watch_interval{1'000};  // how often the file is looked at
  bool operator==(const ConfigWatchConfig&) const = default;
};

struct AgentConfig {
  std::string data_dir = "./data";
  std::string data_dir_group;      // may also read what the agent writes; empty: its user only
  std::string log_level = "info";  // trace, debug, info, warn, error
  Duration checkpoint_interval{1'000};
  Duration shutdown_timeout{10'000};
  DockerConfig docker;
  // In the order written (YAML: inputs.<name>; inputs.docker and inputs.files are shorthands
  // whose type is their name). Filled by the loader, like sinks.
  std::vector<InputSpec> inputs;
  PipelineConfig pipeline;
  std::vector<ProcessorSpec> processors;
  // Whether a container_hints processor goes first (containers' io.log-capturer.* labels).
  bool container_hints = true;
  std::vector<RouteConfig> routes;
  // In the order written; the file store first (YAML: sinks.<name>; sinks.file_store and
  // sinks.loki are shorthands whose type is their name). Filled by the loader: a config built
  // in code starts with none.
  std::vector<SinkSpec> sinks;
  DeadLetterConfig dead_letters;
  ServerConfig server;
  ConfigWatchConfig config_watch;

  const InputSpec* find_input(std::string_view name) const {
    for (const InputSpec& input : inputs) {
      if (input.name == name) return &input;
    }
    return nullptr;
  }
  // The first enabled input of `type` (the docker input: an agent has at most one).
  const InputSpec* enabled_input_of_type(std::string_view type) const {
    for (const InputSpec& input : inputs) {
      if (input.enabled && input.type == type) return &input;
    }
    return nullptr;
  }

  const SinkSpec* find_sink(std::string_view name) const {
    for (const SinkSpec& sink : sinks) {
      if (sink.name == name) return &sink;
    }
    return nullptr;
  }
};

}  // namespace lc
