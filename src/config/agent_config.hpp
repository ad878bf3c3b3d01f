#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/processor_spec.hpp"
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
};

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
};

struct DockerInputConfig {
  bool enabled = true;
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
};

// The generic file input (YAML: inputs.files): plain-text log files matched by globs.
struct FileInputConfig {
  bool enabled = false;
  std::vector<std::string> include;  // glob(3) patterns, braces allowed: /var/log/{app,db}/*.log
  std::vector<std::string> exclude;  // fnmatch(3) on the full path: "*.gz"
  enum class StartAt { kBeginning, kEnd };
  StartAt start_at = StartAt::kBeginning;  // files without a checkpoint found at start-up
  std::uint32_t max_line_bytes = 1024 * 1024;
  std::uint32_t max_open_files = 1024;
  Duration poll_interval{1'000};     // every file is looked at this often even without events
  Duration rescan_interval{10'000};  // the globs are evaluated again this often
  Duration rotate_wait{5'000};       // a renamed file is read until quiet this long
  std::vector<std::string> labels;   // "key=value", put on every record
  // Multi-line records: a line matching start_pattern (negate: not matching) starts a record;
  // the others continue it. Empty start_pattern: one record per line.
  std::string multiline_start_pattern;
  bool multiline_negate = false;
  std::uint32_t multiline_max_lines = 500;
  Duration multiline_flush_timeout{1'000};
};

// Records sinks refuse for good (YAML: dead_letters).
struct DeadLetterConfig {
  bool enabled = true;
  std::string directory;  // empty: <data_dir>/dead_letters
  std::uint64_t max_bytes = 128ull * 1024 * 1024;
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
};

// What every sink's batch.* and retry.* keys default to.
inline SinkDeliveryConfig delivery_defaults(const PipelineConfig& pipeline) {
  SinkDeliveryConfig delivery;
  delivery.batch = {pipeline.batch_max_records, pipeline.batch_max_bytes, pipeline.flush_interval};
  delivery.retry = {pipeline.retry_initial, pipeline.retry_max, pipeline.retry_limit};
  return delivery;
}

// Which records a processor or a route applies to (YAML: a mapping of these keys). A record
// matches when every key that is set matches; a list matches when any of its items does.
// Nothing set: every record.
struct RecordSelectorConfig {
  std::vector<std::string> sources;          // "docker" (containers), "file" (inputs.files)
  std::vector<std::string> streams;          // "stdout", "stderr"
  std::vector<std::string> container_names;  // globs (fnmatch) on the container name
  std::vector<std::string> images;           // globs on the container's image
  std::vector<std::string> labels;           // "key" or "key=value": container or file labels
  std::vector<std::string> files;            // globs on a tailed file's path
  std::string message;                       // regex (Perl syntax) found in the message

  bool operator==(const RecordSelectorConfig&) const = default;

  bool empty() const {
    return sources.empty() && streams.empty() && container_names.empty() && images.empty() &&
           labels.empty() && files.empty() && message.empty();
  }
};

// Where records go (YAML: a list item under routes). A record goes to the sinks of every route
// it matches; with no routes at all, to every sink.
struct RouteConfig {
  RecordSelectorConfig match;      // nothing set: every record
  std::vector<std::string> sinks;  // names of enabled sinks
};

struct ServerConfig {
  std::string listen = "127.0.0.1:8401";          // HTTP API; empty disables
  std::string metrics_listen = "127.0.0.1:8001";  // /metrics; empty disables
  // Host names the API answers to besides loopback (DNS rebinding, cross-site requests).
  std::vector<std::string> allowed_hosts;
};

struct AgentConfig {
  std::string data_dir = "./data";
  std::string data_dir_group;      // may also read what the agent writes; empty: its user only
  std::string log_level = "info";  // trace, debug, info, warn, error
  Duration checkpoint_interval{1'000};
  Duration shutdown_timeout{10'000};
  DockerConfig docker;
  DockerInputConfig docker_input;  // YAML key: inputs.docker
  FileInputConfig file_input;      // YAML key: inputs.files
  PipelineConfig pipeline;
  std::vector<ProcessorSpec> processors;
  std::vector<RouteConfig> routes;
  // In the order written; the file store first (YAML: sinks.<name>; sinks.file_store and
  // sinks.loki are shorthands whose type is their name). Filled by the loader: a config built
  // in code starts with none.
  std::vector<SinkSpec> sinks;
  DeadLetterConfig dead_letters;
  ServerConfig server;

  const SinkSpec* find_sink(std::string_view name) const {
    for (const SinkSpec& sink : sinks) {
      if (sink.name == name) return &sink;
    }
    return nullptr;
  }
};

}  // namespace lc
