#include "config/config_loader.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "config/agent_config_dump.hpp"
#include "processors/dedup/dedup_options.hpp"
#include "processors/fields/fields_options.hpp"
#include "processors/filter/filter_options.hpp"
#include "processors/level/level_options.hpp"
#include "processors/log_to_metric/log_to_metric_options.hpp"
#include "processors/lua/lua_options.hpp"
#include "processors/multiline/multiline_options.hpp"
#include "processors/parse_json/parse_json_options.hpp"
#include "processors/parse_regex/parse_regex_options.hpp"
#include "processors/parse_timestamp/parse_timestamp_options.hpp"
#include "processors/redact/redact_options.hpp"
#include "processors/sample/sample_options.hpp"
#include "processors/throttle/throttle_options.hpp"
#include "sinks/console/console_sink_options.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"
#include "sinks/file_store/file_store_options.hpp"
#include "sinks/http/http_output_options.hpp"
#include "sinks/kafka/kafka_sink_options.hpp"
#include "sinks/loki/loki_sink_options.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"
#include "sinks/syslog/syslog_sink_options.hpp"

namespace lc {
namespace {

using std::chrono::milliseconds;
using ::testing::HasSubstr;

// The sink of that name (a test failure, not a crash, when there is none).
const SinkSpec& sink_named(const AgentConfig& config, std::string_view name) {
  if (const SinkSpec* sink = config.find_sink(name)) return *sink;
  throw std::runtime_error("no sink named " + std::string(name));
}
const FileStoreOptions& store_of(const AgentConfig& config) {
  return sink_named(config, "file_store").options_as<FileStoreOptions>();
}
const LokiSinkOptions& loki_of(const AgentConfig& config, std::string_view name = "loki") {
  return sink_named(config, name).options_as<LokiSinkOptions>();
}

// Parses `yaml` expecting failure; returns the message.
std::string error_of(std::string_view yaml) {
  try {
    parse_config_text(yaml, "cfg.yaml");
  } catch (const ConfigError& error) {
    return error.what();
  }
  ADD_FAILURE() << "no ConfigError for:\n" << yaml;
  return {};
}

constexpr std::string_view kEveryKeyChanged = R"(data_dir: /var/lib/log-capturer
data_dir_group: adm
log_level: debug
checkpoint_interval: 2s
shutdown_timeout: 1m
docker:
  host: tcp://10.0.0.1:2376
  tls: true
  tls_verify: false
  cert_path: /etc/docker/certs
  ca_file: /etc/passwd
  cert_file: /etc/group
  key_file: /etc/hosts
  api_version: "1.41"
  max_idle_connections: 2
  max_connections: 8
  idle_timeout: 45s
  connect_timeout: 1500
  request_timeout: 10s
  reconnect_backoff_initial: 500ms
  reconnect_backoff_max: 1m
inputs:
  docker:
    enabled: false
    filter:
      include_names: ["web-*", "api"]
      exclude_names: [sidecar]
      include_labels:
        - logging=enabled
        - team
      exclude_labels: ["logging=off"]
      include_images: ["nginx:*"]
      exclude_images: ["busybox*", "pause"]
    start_at: now
    mode: api
    host_root: /host
    file_poll_interval: 250ms
    max_pinned_files: 17
    max_line_bytes: 256KiB
    reconcile_interval: 5m
    stream_retry_initial: 200ms
    stream_retry_max: 20s
    self_container_id: 0123456789abcdef
  files:
    enabled: true
    include: ["/var/log/app/*.log"]
    exclude: ["*.gz"]
    start_at: end
    max_line_bytes: 64KiB
    max_open_files: 10
    poll_interval: 2s
    rescan_interval: 30s
    rotate_wait: 1s
    labels: ["team=a"]
    multiline:
      start_pattern: '^\d'
      negate: true
      max_lines: 50
      flush_timeout: 3s
pipeline:
  memory_limit_bytes: 256MiB
  read_ahead_bytes: 2MiB
  batch_max_records: 1000
  batch_max_bytes: 2MB
  flush_interval: 1s
  flush_on_idle: false
  retry_initial: 250ms
  retry_max: 1h
  retry_limit: 7
container_hints: false
processors:
  - type: multiline
    when: {streams: [stderr], container_names: ["java-*"]}
    presets: [java, python]
    start: '^\d{4}-'
    continue: '^\s'
    max_lines: 100
    max_bytes: 64KiB
    flush_timeout: 2s
  - name: front_only
    type: filter
    include:
      sources: [docker, file]
      streams: [stdout, stderr]
      container_names: ["web-*"]
      images: ["nginx:*"]
      labels: [tier=front]
      files: ["/var/log/*.log"]
      message: "."
    exclude:
      message: "^DEBUG"
  - type: filter
    exclude:
      streams: [stderr]
  - type: parse_json
    when: {streams: [stdout]}
    source: .fields.raw
    target: .fields.json
    on_error: drop
    error_field: why
    max_depth: 8
  - type: parse_regex
    when: {fields: {level: [error, fatal], http.status: 500}}
    pattern: '^(?<status>\d+) (?P<took>[\d.]+)'
    types: {status: int, took: float}
  - type: parse_regex
    preset: combined
  - type: fields
    from_labels: {com.example.team: team}
    copy: {level: severity}
    rename: {msg: text}
    set: {env: prod}
    add: {origin: "{{ .container_name }}"}
    remove: [password]
    keep: [level, text]
    to_message: logfmt
  - type: redact
    presets: [all]
    patterns: {order: 'ORD-(?<secret>\d+)'}
    replace: hash
    hash_key: k
    hash_key_file: ""
    message: false
    fields: [password]
  - type: throttle
    key: "{{ .container_name }}"
    max_keys: 100
    rate: 2.5
    burst: 10
  - type: sample
    rate: 5
    always_keep: {fields: {level: error}}
  - type: dedup
    fields: [.message]
    window: 1m
    max_entries: 50
  - type: parse_timestamp
    source: .fields.ts
    formats: [unix_ms, '%d/%b/%Y:%H:%M:%S %z']
    timezone: Europe/Berlin
    remove_source: true
    on_error: flag
    error_field: time_error
  - type: level
    fields: [severity]
    message: false
    target: log.level
    fallback: warn
  - type: log_to_metric
    max_series: 7
    metrics:
      - name: took_seconds
        type: histogram
        help: Time taken.
        labels: {app: "{{ .container_name }}"}
        field: took
        buckets: [0.5, 2]
  - type: lua
    script: "function go(r) return r end"
    file: ""
    function: go
    mode: batch
    on_error: drop
    max_instructions: 5000
    max_memory: 8MiB
sinks:
  file_store:
    enabled: false
    directory: /srv/logs
    max_file_bytes: 1GiB
    max_files: 30
    fsync: every_batch
    fsync_interval: 5s
    when_full: drop_newest
  loki:
    enabled: true
    url: https://loki.example.com/loki/api/v1/push
    tenant_id: team-a
    username: agent
    password: pw
    password_file: ""
    bearer_token: ""
    bearer_token_file: ""
    format: json
    gzip: true
    line_format: json
    hostname: node-7
    labels: ["app={label:com.example.app}", "job=docker"]
    drop_labels: [compose_service]
    structured_metadata: [container_id]
    tls_verify: false
    ca_file: /etc/passwd
    cert_file: /etc/group
    key_file: /etc/hosts
    connect_timeout: 3s
    request_timeout: 1m
    when_full: drop_newest
    max_queued_bytes: 8MiB
    disk_buffer:
      enabled: true
      directory: /srv/buffer
      max_bytes: 2GiB
      segment_bytes: 16MiB
      fsync: interval
      fsync_interval: 2s
    batch:
      max_records: 500
      max_bytes: 1MiB
      flush_interval: 50ms
    retry:
      initial: 1s
      max: 2m
      limit: 3
    dead_letters: false
  kafka:
    enabled: true
    brokers: k1:9092,k2:9092
    topic: logs-{{ .compose_project }}
    key: "{{ .container_name }}"
    acks: all
    idempotence: true
    compression: lz4
    linger: 20ms
    max_message_bytes: 2MB
    delivery_timeout: 10s
    encoding: raw
    headers: {host: "{{ .host }}"}
    tls: true
    tls_verify: false
    ca_file: ""
    cert_file: ""
    key_file: ""
    sasl_mechanism: SCRAM-SHA-256
    sasl_username: agent
    sasl_password: secret
    sasl_password_file: ""
    librdkafka: {"socket.keepalive.enable": "true"}
  otlp:
    enabled: true
    endpoint: https://otel:4318
    encoding: json
    compression: none
    headers: {X-Tenant: a}
    username: ""
    password: ""
    password_file: ""
    bearer_token: tok
    bearer_token_file: ""
    service_name: "{{ .container_name }}"
    resource_attributes: ["env=prod"]
    hostname: node-9
    severity_field: severity
    tls_verify: false
    ca_file: /etc/passwd
    cert_file: ""
    key_file: ""
    connect_timeout: 4s
    request_timeout: 11s
  elasticsearch:
    enabled: true
    endpoints: [https://es1:9200, https://es2:9200]
    mode: data_stream
    index: "logs-{{ .compose_project }}-%Y"
    data_stream: {type: logs, dataset: "{{ .compose_service }}", namespace: prod}
    pipeline: nginx
    compression: none
    headers: {X-Opaque-Id: agent}
    username: ""
    password: ""
    password_file: ""
    api_key: a2V5
    api_key_file: ""
    bearer_token: ""
    bearer_token_file: ""
    tls_verify: false
    ca_file: /etc/passwd
    cert_file: ""
    key_file: ""
    connect_timeout: 3s
    request_timeout: 12s
  splunk_hec:
    enabled: true
    endpoint: https://splunk:8088/proxy
    api: event
    token: s3cr3t
    token_file: ""
    host: "{{ .host }}-x"
    source: "{{ .container_name }}"
    sourcetype: docker
    index: main
    fields: {c: "{{ .container_name }}"}
    event_format: json
    compression: none
    acknowledgements: true
    ack_interval: 250ms
    ack_timeout: 2m
    headers: {X-Team: a}
    tls_verify: false
    ca_file: /etc/passwd
    cert_file: ""
    key_file: ""
    connect_timeout: 2s
    request_timeout: 13s
  http:
    url: https://hooks.example.com/logs/{{ .container_name }}
    method: put
    encoding: json_array
    compression: zstd
    headers: {X-Api-Key: k}
    username: u
    password: p
    password_file: ""
    bearer_token: ""
    bearer_token_file: ""
    tls_verify: false
    ca_file: ""
    cert_file: ""
    key_file: ""
    connect_timeout: 3s
    request_timeout: 7s
  syslog:
    enabled: true
    protocol: tcp
    tls: true
    address: "[fd00::5]:6515"
    framing: newline
    facility: local4
    severity_field: severity
    severity: notice
    stderr_severity: warning
    hostname: "{{ .host }}.example"
    app_name: "{{ .compose_service }}"
    procid: "{{ .container_id }}"
    msgid: "{{ .stream }}"
    structured_data_id: docker@32473
    message_format: json
    max_message_bytes: 8KiB
    tls_verify: false
    ca_file: /etc/passwd
    cert_file: ""
    key_file: ""
    connect_timeout: 4s
    write_timeout: 9s
  syslog_relp:
    type: syslog
    protocol: relp
    relp_window: 16
  console:
    stream: stderr
    encoding: text
dead_letters:
  enabled: false
  directory: /srv/dlq
  max_bytes: 64MiB
server:
  listen: 0.0.0.0:9000
  metrics_listen: "[::1]:9001"
  allowed_hosts: [agent.example.com, "[fd00::1]"]
config:
  watch: true
  watch_interval: 250ms
routes:
  - match:
      container_names: ["web-*"]
    sinks: [loki]
)";

TEST(ConfigLoader, ReadsEveryKey) {
  const AgentConfig config = parse_config_text(kEveryKeyChanged, "full.yaml");
  EXPECT_EQ(config.data_dir, "/var/lib/log-capturer");
  EXPECT_EQ(config.data_dir_group, "adm");
  EXPECT_EQ(config.log_level, "debug");
  EXPECT_EQ(config.checkpoint_interval, milliseconds(2'000));
  EXPECT_EQ(config.shutdown_timeout, milliseconds(60'000));

  const DockerConfig& docker = config.docker;
  EXPECT_EQ(docker.host, "tcp://10.0.0.1:2376");
  EXPECT_TRUE(docker.tls);
  EXPECT_FALSE(docker.tls_client.verify);
  EXPECT_EQ(docker.cert_path, "/etc/docker/certs");
  EXPECT_EQ(docker.tls_client.ca_file, "/etc/passwd");
  EXPECT_EQ(docker.tls_client.cert_file, "/etc/group");
  EXPECT_EQ(docker.tls_client.key_file, "/etc/hosts");
  EXPECT_EQ(docker.api_version, "1.41");
  EXPECT_EQ(docker.max_idle_connections, 2u);
  EXPECT_EQ(docker.max_connections, 8u);
  EXPECT_EQ(docker.idle_timeout, milliseconds(45'000));
  EXPECT_EQ(docker.connect_timeout, milliseconds(1'500));
  EXPECT_EQ(docker.request_timeout, milliseconds(10'000));
  EXPECT_EQ(docker.reconnect_backoff_initial, milliseconds(500));
  EXPECT_EQ(docker.reconnect_backoff_max, milliseconds(60'000));

  ASSERT_NE(config.find_input("docker"), nullptr);
  EXPECT_FALSE(config.find_input("docker")->enabled);
  const DockerInputConfig& input = testing::docker_input_of(config);
  EXPECT_EQ(input.filter.include_names, (std::vector<std::string>{"web-*", "api"}));
  EXPECT_EQ(input.filter.exclude_names, (std::vector<std::string>{"sidecar"}));
  EXPECT_EQ(input.filter.include_labels, (std::vector<std::string>{"logging=enabled", "team"}));
  EXPECT_EQ(input.filter.exclude_labels, (std::vector<std::string>{"logging=off"}));
  EXPECT_EQ(input.filter.include_images, (std::vector<std::string>{"nginx:*"}));
  EXPECT_EQ(input.filter.exclude_images, (std::vector<std::string>{"busybox*", "pause"}));
  EXPECT_EQ(input.start_at, DockerInputConfig::StartAt::kNow);
  EXPECT_EQ(input.mode, DockerInputConfig::Mode::kApi);
  EXPECT_EQ(input.host_root, "/host");
  EXPECT_EQ(input.file_poll_interval, milliseconds(250));
  EXPECT_EQ(input.max_pinned_files, 17u);
  ASSERT_NE(config.find_input("files"), nullptr);
  EXPECT_TRUE(config.find_input("files")->enabled);
  const FileInputConfig& files = testing::file_input_of(config);
  EXPECT_EQ(files.include, (std::vector<std::string>{"/var/log/app/*.log"}));
  EXPECT_EQ(files.start_at, FileInputConfig::StartAt::kEnd);
  EXPECT_EQ(files.max_open_files, 10u);
  EXPECT_EQ(files.multiline_start_pattern, "^\\d");
  EXPECT_TRUE(files.multiline_negate);
  EXPECT_EQ(files.multiline_flush_timeout, milliseconds(3000));
  EXPECT_EQ(config.pipeline.retry_limit, 7u);
  const SinkDeliveryConfig& loki_delivery = sink_named(config, "loki").delivery;
  EXPECT_EQ(loki_delivery.when_full, SinkDeliveryConfig::WhenFull::kDropNewest);
  EXPECT_EQ(loki_delivery.max_queued_bytes, 8u * 1024 * 1024);
  EXPECT_TRUE(loki_delivery.disk_buffer.enabled);
  EXPECT_EQ(loki_delivery.disk_buffer.fsync, SinkDeliveryConfig::DiskBuffer::Fsync::kInterval);
  EXPECT_EQ(loki_delivery.batch.max_records, 500u);
  EXPECT_EQ(loki_delivery.batch.max_bytes, 1024u * 1024);
  EXPECT_EQ(loki_delivery.batch.flush_interval, milliseconds(50));
  EXPECT_EQ(loki_delivery.retry.initial, milliseconds(1'000));
  EXPECT_EQ(loki_delivery.retry.max, milliseconds(120'000));
  EXPECT_EQ(loki_delivery.retry.limit, 3u);
  EXPECT_FALSE(loki_delivery.dead_letters);
  // The file store's batch and retry keys are not written: they are pipeline.*'s.
  const SinkDeliveryConfig& store_delivery = sink_named(config, "file_store").delivery;
  EXPECT_EQ(store_delivery.batch.max_records, 1000u);
  EXPECT_EQ(store_delivery.batch.max_bytes, 2'000'000u);
  EXPECT_EQ(store_delivery.batch.flush_interval, milliseconds(1'000));
  EXPECT_EQ(store_delivery.retry.initial, milliseconds(250));
  EXPECT_EQ(store_delivery.retry.max, milliseconds(3'600'000));
  EXPECT_EQ(store_delivery.retry.limit, 7u);
  EXPECT_FALSE(store_delivery.dead_letters);  // dead_letters.enabled: false
  EXPECT_FALSE(config.dead_letters.enabled);
  EXPECT_EQ(config.dead_letters.max_bytes, 64u * 1024 * 1024);
  EXPECT_EQ(input.max_line_bytes, 256u * 1024);
  EXPECT_EQ(input.reconcile_interval, milliseconds(300'000));
  EXPECT_EQ(input.stream_retry_initial, milliseconds(200));
  EXPECT_EQ(input.stream_retry_max, milliseconds(20'000));
  EXPECT_EQ(input.self_container_id, "0123456789abcdef");

  const PipelineConfig& pipeline = config.pipeline;
  EXPECT_EQ(pipeline.memory_limit_bytes, 256ull * 1024 * 1024);
  EXPECT_EQ(pipeline.read_ahead_bytes, 2ull * 1024 * 1024);
  EXPECT_EQ(pipeline.batch_max_records, 1000u);
  EXPECT_EQ(pipeline.batch_max_bytes, 2'000'000u);
  EXPECT_EQ(pipeline.flush_interval, milliseconds(1'000));
  EXPECT_FALSE(pipeline.flush_on_idle);
  EXPECT_EQ(pipeline.retry_initial, milliseconds(250));
  EXPECT_EQ(pipeline.retry_max, milliseconds(3'600'000));

  EXPECT_FALSE(sink_named(config, "file_store").enabled);
  const FileStoreOptions& store = store_of(config);
  EXPECT_EQ(store.directory, "/srv/logs");
  EXPECT_EQ(store.max_file_bytes, 1024ull * 1024 * 1024);
  EXPECT_EQ(store.max_files, 30u);
  EXPECT_EQ(store.fsync, FileStoreOptions::Fsync::kEveryBatch);
  EXPECT_EQ(store.fsync_interval, milliseconds(5'000));

  EXPECT_TRUE(sink_named(config, "loki").enabled);
  const LokiSinkOptions& loki = loki_of(config);
  EXPECT_EQ(loki.url, "https://loki.example.com/loki/api/v1/push");
  EXPECT_EQ(loki.tenant_id, "team-a");
  EXPECT_EQ(loki.username, "agent");
  EXPECT_EQ(loki.password, "pw");
  EXPECT_EQ(loki.bearer_token, "");
  EXPECT_EQ(loki.format, LokiSinkOptions::Format::kJson);
  EXPECT_TRUE(loki.gzip);
  EXPECT_EQ(loki.line_format, LokiSinkOptions::LineFormat::kJson);
  EXPECT_EQ(loki.hostname, "node-7");
  EXPECT_EQ(loki.labels, (std::vector<std::string>{"app={label:com.example.app}", "job=docker"}));
  EXPECT_EQ(loki.drop_labels, (std::vector<std::string>{"compose_service"}));
  EXPECT_EQ(loki.structured_metadata, (std::vector<std::string>{"container_id"}));
  EXPECT_FALSE(loki.tls.verify);
  EXPECT_EQ(loki.tls.ca_file, "/etc/passwd");
  EXPECT_EQ(loki.tls.cert_file, "/etc/group");
  EXPECT_EQ(loki.tls.key_file, "/etc/hosts");
  EXPECT_EQ(loki.connect_timeout, milliseconds(3'000));
  EXPECT_EQ(loki.request_timeout, milliseconds(60'000));

  EXPECT_EQ(config.server.listen, "0.0.0.0:9000");
  EXPECT_EQ(config.server.metrics_listen, "[::1]:9001");
  EXPECT_EQ(config.server.allowed_hosts,
            (std::vector<std::string>{"agent.example.com", "[fd00::1]"}));
  EXPECT_EQ(config.config_watch, (ConfigWatchConfig{true, Duration{250}}));

  EXPECT_FALSE(config.container_hints);
  ASSERT_EQ(config.processors.size(), 15u);  // no container_hints first
  const auto& multiline = config.processors[0].options_as<MultilineOptions>();
  EXPECT_EQ(config.processors[0].when->container_names, std::vector<std::string>{"java-*"});
  EXPECT_EQ(multiline.rules.presets, (std::vector<std::string>{"java", "python"}));
  EXPECT_EQ(multiline.rules.start, "^\\d{4}-");
  EXPECT_EQ(multiline.rules.continue_pattern, "^\\s");
  EXPECT_EQ(multiline.max_lines, 100u);
  EXPECT_EQ(multiline.max_bytes, 64u * 1024);
  EXPECT_EQ(multiline.flush_timeout, Duration{2'000});
  EXPECT_EQ(config.processors[1].type, "filter");
  const FilterOptions& front = config.processors[1].options_as<FilterOptions>();
  EXPECT_EQ(config.processors[1].name, "front_only");
  ASSERT_TRUE(front.include.has_value());
  EXPECT_EQ(front.include->sources, (std::vector<std::string>{"docker", "file"}));
  EXPECT_EQ(front.include->streams, (std::vector<std::string>{"stdout", "stderr"}));
  EXPECT_EQ(front.include->container_names, (std::vector<std::string>{"web-*"}));
  EXPECT_EQ(front.include->images, (std::vector<std::string>{"nginx:*"}));
  EXPECT_EQ(front.include->labels, (std::vector<std::string>{"tier=front"}));
  EXPECT_EQ(front.include->files, (std::vector<std::string>{"/var/log/*.log"}));
  EXPECT_EQ(front.include->message, ".");
  ASSERT_TRUE(front.exclude.has_value());
  EXPECT_EQ(front.exclude->message, "^DEBUG");
  EXPECT_EQ(config.processors[2].name, "filter_3");  // the default name: type and position
  EXPECT_FALSE(config.processors[2].options_as<FilterOptions>().include.has_value());
  const ProcessorSpec& json = config.processors[3];
  EXPECT_EQ(json.name, "parse_json_4");
  ASSERT_TRUE(json.when.has_value());
  EXPECT_EQ(json.when->streams, std::vector<std::string>{"stdout"});
  const auto& parse = json.options_as<ParseJsonOptions>();
  EXPECT_EQ(parse.output.source.text(), ".fields.raw");
  EXPECT_EQ(parse.output.target.text(), ".fields.json");
  EXPECT_EQ(parse.output.on_error, TextParserOutput::OnError::kDrop);
  EXPECT_EQ(parse.output.error_field, "why");
  EXPECT_EQ(parse.max_depth, 8u);
  EXPECT_EQ(config.processors[4].when->fields,
            (std::vector<std::pair<std::string, std::vector<std::string>>>{
                {"level", {"error", "fatal"}}, {"http.status", {"500"}}}));
  const auto& regex = config.processors[4].options_as<ParseRegexOptions>();
  EXPECT_EQ(regex.types, (std::vector<std::pair<std::string, CaptureType>>{
                             {"status", CaptureType::kInt}, {"took", CaptureType::kFloat}}));
  EXPECT_EQ(config.processors[5].options_as<ParseRegexOptions>().preset, "combined");
  const auto& fields = config.processors[6].options_as<FieldsOptions>();
  EXPECT_EQ(fields.add, (FieldsOptions::Pairs{{"origin", "{{ .container_name }}"}}));
  EXPECT_EQ(fields.to_message, FieldsOptions::MessageFormat::kLogfmt);
  const auto& redact = config.processors[7].options_as<RedactOptions>();
  EXPECT_EQ(redact.replace, "hash");
  EXPECT_EQ(redact.hash_key, "k");
  EXPECT_FALSE(redact.message);
  const auto& throttle = config.processors[8].options_as<ThrottleOptions>();
  EXPECT_EQ(throttle.rate, 2.5);
  EXPECT_EQ(throttle.burst, 10u);
  EXPECT_EQ(throttle.key.max_keys, 100u);
  EXPECT_EQ(config.processors[9].options_as<SampleOptions>().rate, 5u);
  const auto& dedup = config.processors[10].options_as<DedupOptions>();
  EXPECT_EQ(dedup.window, Duration{60'000});
  EXPECT_EQ(dedup.max_entries, 50u);
  const auto& timestamp = config.processors[11].options_as<ParseTimestampOptions>();
  EXPECT_EQ(timestamp.source.text(), ".fields.ts");
  EXPECT_EQ(timestamp.formats, (std::vector<std::string>{"unix_ms", "%d/%b/%Y:%H:%M:%S %z"}));
  EXPECT_EQ(timestamp.timezone, "Europe/Berlin");
  EXPECT_TRUE(timestamp.remove_source);
  EXPECT_EQ(timestamp.on_error, TextParserOutput::OnError::kFlag);
  EXPECT_EQ(timestamp.error_field, "time_error");
  const auto& level = config.processors[12].options_as<LevelOptions>();
  EXPECT_EQ(level.fields, std::vector<std::string>{"severity"});
  EXPECT_EQ(level.fallback, "warn");
  const auto& to_metric = config.processors[13].options_as<LogToMetricOptions>();
  EXPECT_EQ(to_metric.max_series, 7u);
  ASSERT_EQ(to_metric.metrics.size(), 1u);
  EXPECT_EQ(to_metric.metrics[0].buckets, (std::vector<double>{0.5, 2}));
  EXPECT_EQ(to_metric.metrics[0].type, UserMetricOptions::Type::kHistogram);
  const auto& lua = config.processors[14].options_as<LuaOptions>();
  EXPECT_EQ(lua.function, "go");
  EXPECT_EQ(lua.mode, LuaOptions::Mode::kBatch);
  EXPECT_EQ(lua.on_error, LuaOptions::OnError::kDrop);
  EXPECT_EQ(lua.max_instructions, 5000u);
  EXPECT_EQ(lua.max_memory_bytes, 8u << 20);
  EXPECT_EQ(store_delivery.when_full, SinkDeliveryConfig::WhenFull::kDropNewest);
  ASSERT_EQ(config.routes.size(), 1u);
  EXPECT_EQ(config.routes[0].match.container_names, (std::vector<std::string>{"web-*"}));
  EXPECT_EQ(config.routes[0].sinks, (std::vector<std::string>{"loki"}));
  const auto& kafka = sink_named(config, "kafka").options_as<KafkaSinkOptions>();
  EXPECT_EQ(kafka.brokers, "k1:9092,k2:9092");
  EXPECT_EQ(kafka.topic, "logs-{{ .compose_project }}");
  EXPECT_EQ(kafka.key, "{{ .container_name }}");
  EXPECT_EQ(kafka.compression, KafkaSinkOptions::Compression::kLz4);
  EXPECT_EQ(kafka.linger, milliseconds(20));
  EXPECT_EQ(kafka.max_message_bytes, 2'000'000u);
  EXPECT_EQ(kafka.delivery_timeout, milliseconds(10'000));
  EXPECT_EQ(kafka.encoding, KafkaSinkOptions::Encoding::kRaw);
  EXPECT_EQ(kafka.headers.size(), 1u);
  EXPECT_TRUE(kafka.tls);
  EXPECT_FALSE(kafka.tls_options.verify);
  EXPECT_EQ(kafka.sasl_mechanism, KafkaSinkOptions::SaslMechanism::kScramSha256);
  EXPECT_EQ(kafka.sasl_password, "secret");
  ASSERT_EQ(kafka.librdkafka.size(), 1u);
  EXPECT_EQ(kafka.librdkafka[0].first, "socket.keepalive.enable");
  const auto& otlp = sink_named(config, "otlp").options_as<OtlpSinkOptions>();
  EXPECT_EQ(otlp.endpoint, "https://otel:4318");
  EXPECT_EQ(otlp.encoding, OtlpSinkOptions::Encoding::kJson);
  EXPECT_EQ(otlp.compression, OtlpSinkOptions::Compression::kNone);
  EXPECT_EQ(otlp.bearer_token, "tok");
  EXPECT_EQ(otlp.service_name, "{{ .container_name }}");
  EXPECT_EQ(otlp.hostname, "node-9");
  EXPECT_EQ(otlp.severity_field, "severity");
  EXPECT_EQ(otlp.tls.ca_file, "/etc/passwd");
  EXPECT_EQ(otlp.request_timeout, milliseconds(11'000));
  const auto& es = sink_named(config, "elasticsearch").options_as<ElasticsearchSinkOptions>();
  EXPECT_EQ(es.endpoints.size(), 2u);
  EXPECT_EQ(es.mode, ElasticsearchSinkOptions::Mode::kDataStream);
  EXPECT_EQ(es.data_stream_namespace, "prod");
  EXPECT_EQ(es.api_key, "a2V5");
  EXPECT_EQ(es.request_timeout, milliseconds(12'000));
  const auto& hec = sink_named(config, "splunk_hec").options_as<SplunkHecSinkOptions>();
  EXPECT_EQ(hec.event_format, SplunkHecSinkOptions::EventFormat::kJson);
  EXPECT_FALSE(hec.token.empty());
  EXPECT_TRUE(hec.acknowledgements);
  EXPECT_EQ(hec.ack_timeout, milliseconds(120'000));
  const auto& syslog = sink_named(config, "syslog").options_as<SyslogSinkOptions>();
  EXPECT_TRUE(syslog.tls);
  EXPECT_EQ(syslog.framing, SyslogSinkOptions::Framing::kNewline);
  EXPECT_EQ(syslog.facility, "local4");
  EXPECT_EQ(syslog.max_message_bytes, 8u * 1024);
  EXPECT_EQ(syslog.write_timeout, milliseconds(9'000));
  EXPECT_EQ(sink_named(config, "syslog_relp").options_as<SyslogSinkOptions>().relp_window, 16u);
  const auto& http = sink_named(config, "http").options_as<HttpOutputOptions>();
  EXPECT_EQ(http.url, "https://hooks.example.com/logs/{{ .container_name }}");
  EXPECT_EQ(http.method, HttpOutputOptions::Method::kPut);
  EXPECT_EQ(http.encoding, HttpOutputOptions::Encoding::kJsonArray);
  EXPECT_EQ(http.compression, HttpOutputOptions::Compression::kZstd);
  EXPECT_EQ(http.password, "p");
  EXPECT_EQ(http.request_timeout, milliseconds(7'000));
  const auto& console = sink_named(config, "console").options_as<ConsoleSinkOptions>();
  EXPECT_EQ(console.stream, ConsoleSinkOptions::Stream::kStderr);
  EXPECT_EQ(console.encoding, ConsoleSinkOptions::Encoding::kText);
}

// Every key in the catalog appears in the full test document: no field left untested.
TEST(ConfigLoader, FullTestDocumentCoversTheCatalog) {
  for (const auto& path : config_key_paths()) {
    const std::string leaf = path.substr(path.rfind('.') + 1);
    EXPECT_THAT(std::string(kEveryKeyChanged), HasSubstr(leaf + ":")) << path;
  }
}

void expect_defaults(const AgentConfig& config) {
  const AgentConfig defaults;
  EXPECT_EQ(config.data_dir, "./data");
  EXPECT_EQ(config.log_level, "info");
  EXPECT_EQ(config.checkpoint_interval, defaults.checkpoint_interval);
  EXPECT_EQ(config.shutdown_timeout, defaults.shutdown_timeout);
  EXPECT_EQ(config.docker.host, "");
  EXPECT_FALSE(config.docker.tls);
  EXPECT_TRUE(config.docker.tls_client.verify);
  EXPECT_EQ(config.docker.max_idle_connections, 4u);
  EXPECT_EQ(config.docker.max_connections, 16u);
  EXPECT_EQ(config.docker.idle_timeout, milliseconds(90'000));
  EXPECT_EQ(config.docker.reconnect_backoff_max, milliseconds(30'000));
  ASSERT_NE(config.enabled_input_of_type("docker"), nullptr);
  EXPECT_EQ(config.inputs.size(), 1u);  // the docker input; inputs.files is off unless written
  EXPECT_TRUE(testing::docker_input_of(config).filter.include_names.empty());
  EXPECT_EQ(testing::docker_input_of(config).start_at, DockerInputConfig::StartAt::kBeginning);
  EXPECT_EQ(testing::docker_input_of(config).mode, DockerInputConfig::Mode::kAuto);
  EXPECT_EQ(testing::docker_input_of(config).max_line_bytes, 1024u * 1024);
  EXPECT_EQ(testing::docker_input_of(config).stream_retry_initial, milliseconds(100));
  EXPECT_EQ(config.pipeline.memory_limit_bytes, 64ull * 1024 * 1024);
  EXPECT_EQ(config.pipeline.batch_max_records, 4096u);
  EXPECT_EQ(config.pipeline.flush_interval, milliseconds(200));
  ASSERT_EQ(config.sinks.size(), 1u);  // the file store alone
  EXPECT_TRUE(sink_named(config, "file_store").enabled);
  EXPECT_EQ(store_of(config).directory, "");
  EXPECT_EQ(store_of(config).max_files, 8u);
  EXPECT_EQ(store_of(config).fsync, FileStoreOptions::Fsync::kInterval);
  EXPECT_EQ(config.server.listen, "127.0.0.1:8401");
  EXPECT_EQ(config.server.metrics_listen, "127.0.0.1:8001");
}

TEST(ConfigLoader, EmptyDocumentsGiveDefaults) {
  expect_defaults(parse_config_text("", "empty.yaml"));
  expect_defaults(parse_config_text("# only a comment\n\n", "comment.yaml"));
  expect_defaults(parse_config_text("---\n", "marker.yaml"));
  expect_defaults(parse_config_text("{}", "braces.yaml"));
  // Empty sections read as all defaults.
  expect_defaults(parse_config_text("docker:\ninputs:\n  docker:\npipeline: {}\nsinks:\nserver:\n",
                                    "sections.yaml"));
}

TEST(ConfigLoader, EmptyValuesMeanTheDefault) {
  expect_defaults(
      parse_config_text("data_dir:\nlog_level: ~\ndocker:\n  host:\n"
                        "  max_connections: null\ninputs:\n  docker:\n"
                        "    enabled:\n    filter:\n      include_names:\n"
                        "pipeline:\n  memory_limit_bytes:\nserver:\n  listen:\n",
                        "nulls.yaml"));
  // Quoted, "null" and "" are strings, not empty values.
  EXPECT_EQ(parse_config_text("server:\n  listen: \"\"\n", "x").server.listen, "");
  EXPECT_EQ(parse_config_text("docker:\n  cert_path: 'null'\n", "x").docker.cert_path, "null");
}

TEST(ConfigLoader, ProcessorMistakesNameTheItemAndKey) {
  EXPECT_EQ(error_of("processors:\n  - name: a\n    exclude:\n      streams: [stdout]\n"),
            "cfg.yaml:2:5: processors[0].type: is required: 'multiline', 'filter', 'parse_json', "
            "'parse_logfmt', 'parse_regex', 'parse_syslog', 'parse_timestamp', 'fields', 'redact', "
            "'throttle', "
            "'sample', 'dedup', "
            "'level', 'log_to_metric', 'lua' or 'container_hints'");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n"),
            "cfg.yaml:2:5: processors[0].type: a filter needs include, exclude or both");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n    exclude:\n      message: \"(a\"\n"),
            "cfg.yaml:4:7: processors[0].exclude.message: not a regex RE2 accepts (the "
            "linear-time engine user regexes run on): missing ): (a");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n    exclude:\n      message: \"a(?!b)\"\n"),
            "cfg.yaml:4:7: processors[0].exclude.message: not a regex RE2 accepts (the "
            "linear-time engine user regexes run on): invalid perl operator: (?!; negative "
            "lookahead (?!...) is not supported: match the wanted text instead, or use a "
            "filter's `exclude`");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n    exclude:\n      fields: {\"a[0]\": x}\n"),
            "cfg.yaml:4:16: processors[0].exclude.fields.a[0]: must name keys, not list items");
  EXPECT_EQ(
      error_of("processors:\n  - type: filter\n    exclude:\n      streams: [out]\n"),
      "cfg.yaml:4:17: processors[0].exclude.streams[0]: expected 'stdout' or 'stderr', got 'out'");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n    exclude: {sources: [docker]}\n"
                     "  - type: filter\n    name: filter_1\n    exclude: {sources: [file]}\n"),
            "cfg.yaml:5:5: processors[1].name: processor name 'filter_1' is used twice; names "
            "label the metrics");
  EXPECT_EQ(
      error_of("processors:\n  - type: filter\n    exclude: {streams: [stderr]}\n    excude: {}\n"),
      "cfg.yaml:4:5: processors[0].excude: unknown key; did you mean 'exclude'?");
  EXPECT_EQ(error_of("processors:\n  type: filter\n"),
            "cfg.yaml:1:1: processors: expected a list of mappings (one \"- key: value\" item "
            "each), got a mapping");
  EXPECT_EQ(error_of("processors:\n  - filter\n"),
            "cfg.yaml:2:5: processors[0]: expected a mapping of keys, got 'filter'");
  EXPECT_EQ(error_of("processors:\n  - type: parser\n"),
            "cfg.yaml:2:5: processors[0].type: unknown processor type 'parser' (types: "
            "'multiline', 'filter', 'parse_json', 'parse_logfmt', 'parse_regex', 'parse_syslog', "
            "'parse_timestamp', 'fields', 'redact', "
            "'throttle', 'sample', 'dedup', 'level', 'log_to_metric', 'lua' or 'container_hints')");
  // multiline joins lines in the inputs: first in the list, chosen by source only.
  EXPECT_EQ(error_of("processors:\n  - type: level\n  - type: multiline\n    presets: [java]\n"),
            "cfg.yaml:3:5: processors[1].type: multiline runs in the inputs, before every other "
            "processor: list it before 'level_1'");
  EXPECT_EQ(error_of("processors:\n  - type: multiline\n    presets: [java]\n"
                     "    when: {message: x}\n"),
            "cfg.yaml:4:5: processors[0].when: multiline joins lines before they are records: its "
            "when: may use sources, streams, container_names, images, labels and files, not "
            "message or fields");
  EXPECT_EQ(
      error_of("processors:\n  - type: multiline\n    presets: [cobol]\n"),
      "cfg.yaml:3:15: processors[0].presets[0]: unknown preset \"cobol\" (known: java, python, "
      "go, ruby, dotnet)");
  EXPECT_EQ(error_of("processors:\n  - type: multiline\n    start: '(?=x)'\n"),
            error_of("processors:\n  - type: multiline\n    start: '(?=x)'\n"));
  EXPECT_THAT(error_of("processors:\n  - type: multiline\n    start: '(?=x)'\n"),
              ::testing::HasSubstr("processors[0].start: "));
  EXPECT_THAT(error_of("processors:\n  - type: multiline\n    max_lines: 3\n"),
              ::testing::HasSubstr("a multiline processor needs presets, a start pattern or a "
                                   "continue pattern"));
  EXPECT_EQ(error_of("processors:\n  - type: filtr\n    exclude: {streams: [stderr]}\n"),
            "cfg.yaml:2:5: processors[0].type: unknown processor type 'filtr'; did you mean "
            "'filter'? (types: 'multiline', 'filter', 'parse_json', 'parse_logfmt', 'parse_regex', "
            "'parse_syslog', 'parse_timestamp', 'fields', "
            "'redact', 'throttle', 'sample', 'dedup', 'level', 'log_to_metric', 'lua' or "
            "'container_hints')");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n    exclude: {}\n"),
            "cfg.yaml:3:5: processors[0].exclude: matches every record (so drops them all): set "
            "at least one key");
  EXPECT_EQ(error_of("processors:\n  - type: filter\n    include: {}\n"),
            "cfg.yaml:3:5: processors[0].include: matches every record: set at least one key, "
            "or remove include");
}

TEST(ConfigLoader, RoutesMustNameEnabledSinks) {
  EXPECT_EQ(error_of("routes:\n  - sinks: [loki]\n"),
            "cfg.yaml:2:13: routes[0].sinks[0]: 'loki' is not an enabled sink (enabled: "
            "'file_store')");
  EXPECT_EQ(error_of("routes:\n  - match: {streams: [stderr]}\n"),
            "cfg.yaml:2:5: routes[0].sinks: is required: the sinks these records go to");
  EXPECT_EQ(error_of("routes:\n  - sinks: []\n"),
            "cfg.yaml:2:5: routes[0].sinks: must name at least one sink");
  const AgentConfig config = parse_config_text(
      "sinks:\n  loki:\n    enabled: true\n    url: http://l:3100/loki/api/v1/push\n"
      "routes:\n  - match: {labels: [audit]}\n    sinks: [loki]\n  - sinks: [file_store]\n",
      "x");
  ASSERT_EQ(config.routes.size(), 2u);
  EXPECT_EQ(config.routes[0].match.labels, (std::vector<std::string>{"audit"}));
  EXPECT_TRUE(config.routes[1].match.empty());
  EXPECT_EQ(config.routes[1].sinks, (std::vector<std::string>{"file_store"}));
}

TEST(ConfigLoader, NamedSinksHaveATypeAndCanBeRoutedTo) {
  const AgentConfig config = parse_config_text(
      "sinks:\n  audit:\n    type: loki\n    url: http://l:3100\n    tenant_id: audit\n"
      "    disk_buffer: {enabled: true}\n  loki_eu:\n    type: loki\n    enabled: false\n"
      "routes:\n  - match: {labels: [audit]}\n    sinks: [audit]\n  - sinks: [file_store]\n",
      "x");
  ASSERT_EQ(config.sinks.size(), 3u);  // the file store first, then as written
  EXPECT_EQ(config.sinks[1].name, "audit");
  EXPECT_EQ(config.sinks[1].type, "loki");
  EXPECT_TRUE(config.sinks[1].enabled);  // writing the section asks for it
  EXPECT_EQ(loki_of(config, "audit").tenant_id, "audit");
  EXPECT_TRUE(config.sinks[1].delivery.disk_buffer.enabled);
  EXPECT_FALSE(sink_named(config, "loki_eu").enabled);
  EXPECT_EQ(config.find_sink("loki"), nullptr);
  EXPECT_EQ(config.routes[0].sinks, (std::vector<std::string>{"audit"}));

  EXPECT_EQ(error_of("sinks:\n  lokki:\n    url: http://l:3100\n"),
            "cfg.yaml:2:3: sinks.lokki.type: is required; did you mean the sink 'loki'? (a name "
            "of your own needs type: 'file_store', 'loki', 'kafka', 'otlp', 'elasticsearch', "
            "'splunk_hec', 'http', 'syslog' or 'console')");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    url: http://l:3100\n"),
            "cfg.yaml:2:3: sinks.audit.type: is required: 'file_store', 'loki', 'kafka', 'otlp', "
            "'elasticsearch', 'splunk_hec', 'http', 'syslog' or 'console'");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: lokki\n"),
            "cfg.yaml:3:5: sinks.audit.type: unknown sink type 'lokki'; did you mean 'loki'? "
            "(types: 'file_store', 'loki', 'kafka', 'otlp', 'elasticsearch', 'splunk_hec', 'http', "
            "'syslog' or 'console')");
  EXPECT_EQ(error_of("sinks:\n  archive:\n    type: file_store\n"),
            "cfg.yaml:3:5: sinks.archive.type: an agent has one file_store sink, declared as "
            "sinks.file_store");
  EXPECT_EQ(error_of("sinks:\n  file_store:\n    type: loki\n"),
            "cfg.yaml:3:5: sinks.file_store.type: the name 'file_store' is the file_store "
            "sink's; give this loki sink another");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: kafkaa\n"),
            "cfg.yaml:3:5: sinks.audit.type: unknown sink type 'kafkaa'; did you mean 'kafka'? "
            "(types: 'file_store', 'loki', 'kafka', 'otlp', 'elasticsearch', 'splunk_hec', 'http', "
            "'syslog' or 'console')");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: kafka\n"),
            "cfg.yaml:2:3: sinks.audit.brokers: is required: the bootstrap brokers, host:port "
            "(comma-separated)");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: kafka\n    brokers: k:9092\n"
                     "    librdkafka: {\"linger.ms\": \"soon\"}\n"),
            "cfg.yaml:5:5: sinks.audit.librdkafka: linger.ms is set by the sink itself (from its "
            "own keys, or for its delivery accounting)");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: kafka\n    brokers: k:9092\n"
                     "    librdkafka: {\"socket.timeout.ms\": \"soon\"}\n"),
            "cfg.yaml:5:5: sinks.audit.librdkafka: librdkafka refused socket.timeout.ms: Invalid "
            "value for configuration property \"socket.timeout.ms\"");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: kafka\n    brokers: k:9092\n"
                     "    acks: leader\n"),
            "cfg.yaml:2:3: sinks.audit.idempotence: needs acks: all (or set idempotence: false)");
  EXPECT_EQ(error_of("sinks:\n  Audit-1:\n    type: loki\n"),
            "cfg.yaml:3:5: sinks.Audit-1.type: a sink name is a lowercase letter then letters, "
            "digits or '_' (at most 64), got 'Audit-1'");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: loki\n    enabled: false\n"
                     "routes:\n  - sinks: [audit]\n"),
            "cfg.yaml:6:13: routes[0].sinks[0]: 'audit' is not an enabled sink (enabled: "
            "'file_store')");
  EXPECT_EQ(error_of("sinks:\n  audit:\n    type: loki\n    gzip: true\n"),
            "cfg.yaml:4:5: sinks.audit.gzip: applies to format: json only (protobuf bodies are "
            "always snappy-compressed)");
}

TEST(ConfigLoader, PartialSectionKeepsOtherDefaults) {
  const AgentConfig config = parse_config_text("pipeline:\n  flush_interval: 50ms\n", "x");
  EXPECT_EQ(config.pipeline.flush_interval, milliseconds(50));
  EXPECT_EQ(config.pipeline.batch_max_records, 4096u);
  EXPECT_EQ(config.pipeline.memory_limit_bytes, 64ull * 1024 * 1024);
}

TEST(ConfigLoader, EnvironmentIsExpandedInParsedValues) {
  ::setenv("LC_TEST_DATA_DIR", "/tmp/from-env", 1);
  ::unsetenv("LC_TEST_UNSET_LEVEL");
  const AgentConfig config = parse_config_text(
      "data_dir: ${LC_TEST_DATA_DIR}\nlog_level: ${LC_TEST_UNSET_LEVEL:-warn}\n"
      "docker:\n  cert_path: /p/$${literal}\n",
      "env.yaml");
  EXPECT_EQ(config.data_dir, "/tmp/from-env");
  EXPECT_EQ(config.log_level, "warn");
  EXPECT_EQ(config.docker.cert_path, "/p/${literal}");
  EXPECT_EQ(
      error_of("a: 1\nlog_level: ${LC_TEST_UNSET_LEVEL}\n"),
      "cfg.yaml:2:12: log_level: environment variable 'LC_TEST_UNSET_LEVEL' is not set (write "
      "${LC_TEST_UNSET_LEVEL:-default} to give a default)");
  ::unsetenv("LC_TEST_DATA_DIR");
}

// A secret is never YAML source: a comment marker, ": " or a backslash in it stays as written.
TEST(ConfigLoader, EnvironmentValueHoldingYamlSyntaxIsKeptWhole) {
  for (const std::string password :
       {"pa #ss", "a: b", "*x", "&x", "!x", "|x", ">x", "{x", "[x", "%x", "@x", "back\\tslash"}) {
    ::setenv("LC_TEST_PASSWORD", password.c_str(), 1);
    const AgentConfig config = parse_config_text(
        "sinks:\n  loki:\n    url: http://loki:3100/loki/api/v1/push\n    username: u\n"
        "    password: ${LC_TEST_PASSWORD}\n    hostname: \"${LC_TEST_PASSWORD:-}\"\n",
        "env.yaml");
    EXPECT_EQ(loki_of(config).password, password);
    EXPECT_EQ(loki_of(config).hostname, password);
  }
  ::unsetenv("LC_TEST_PASSWORD");
}

TEST(ConfigLoader, ExpandedValueIsValidated) {
  ::setenv("LC_TEST_BAD_SIZE", "lots", 1);
  EXPECT_EQ(error_of("pipeline:\n  memory_limit_bytes: ${LC_TEST_BAD_SIZE}\n"),
            "cfg.yaml:2:3: pipeline.memory_limit_bytes: expected a size like 64MiB, got 'lots'");
  ::unsetenv("LC_TEST_BAD_SIZE");
}

// ---- error classes: each names source, 1-based line and column, and the full key ----

TEST(ConfigLoaderErrors, BadSize) {
  EXPECT_EQ(
      error_of("data_dir: /d\n\npipeline:\n  flush_interval: 1s\n  memory_limit_bytes: lots\n"),
      "cfg.yaml:5:3: pipeline.memory_limit_bytes: expected a size like 64MiB, got 'lots'");
}

TEST(ConfigLoaderErrors, BadDuration) {
  EXPECT_EQ(error_of("checkpoint_interval: 1.5s\n"),
            "cfg.yaml:1:1: checkpoint_interval: expected a duration like 250ms, 5s, 1m or 1h (a "
            "bare number is milliseconds), got '1.5s'");
  EXPECT_EQ(error_of("docker:\n    idle_timeout: soon\n"),
            "cfg.yaml:2:5: docker.idle_timeout: expected a duration like 250ms, 5s, 1m or 1h (a "
            "bare number is milliseconds), got 'soon'");
}

TEST(ConfigLoaderErrors, ZeroOrNegativeWhereMeaningless) {
  EXPECT_EQ(error_of("pipeline:\n  memory_limit_bytes: 0\n"),
            "cfg.yaml:2:3: pipeline.memory_limit_bytes: must be at least 1, got '0'");
  EXPECT_EQ(error_of("pipeline:\n  memory_limit_bytes: -5MiB\n"),
            "cfg.yaml:2:3: pipeline.memory_limit_bytes: expected a size like 64MiB, got '-5MiB'");
  EXPECT_EQ(error_of("sinks:\n  file_store:\n    max_files: 0\n"),
            "cfg.yaml:3:5: sinks.file_store.max_files: expected a whole number from 1 to "
            "4294967295, got '0'");
  EXPECT_EQ(error_of("pipeline:\n  batch_max_records: -1\n"),
            "cfg.yaml:2:3: pipeline.batch_max_records: expected a whole number from 1 to "
            "4294967295, got '-1'");
  EXPECT_EQ(error_of("pipeline:\n  batch_max_records: 4294967296\n"),
            "cfg.yaml:2:3: pipeline.batch_max_records: expected a whole number from 1 to "
            "4294967295, got '4294967296'");
  EXPECT_EQ(error_of("pipeline:\n  flush_interval: 0\n"),
            "cfg.yaml:2:3: pipeline.flush_interval: must be at least 1ms, got '0'");
  EXPECT_EQ(error_of("inputs:\n  docker:\n    max_line_bytes: 5GiB\n"),
            "cfg.yaml:3:5: inputs.docker.max_line_bytes: must be at most 4294967295, got '5GiB'");
  // Zero idle connections is meaningful: no keep-alive.
  EXPECT_EQ(
      parse_config_text("docker:\n  max_idle_connections: 0\n", "x").docker.max_idle_connections,
      0u);
}

TEST(ConfigLoaderErrors, WrongTypes) {
  EXPECT_EQ(error_of("data_dir: [a, b]\n"),
            "cfg.yaml:1:1: data_dir: expected a string, got a list");
  EXPECT_EQ(error_of("server:\n  listen: {a: 1}\n"),
            "cfg.yaml:2:3: server.listen: expected a string, got a mapping");
  EXPECT_EQ(error_of("inputs:\n  docker:\n    enabled: yes\n"),
            "cfg.yaml:3:5: inputs.docker.enabled: expected 'true' or 'false', got 'yes'");
  EXPECT_EQ(error_of("inputs:\n  docker:\n    filter:\n      include_names: web\n"),
            "cfg.yaml:4:7: inputs.docker.filter.include_names: expected a list of strings such as "
            "[\"a\", \"b\"], got 'web'");
  EXPECT_EQ(
      error_of(
          "inputs:\n  docker:\n    filter:\n      include_names:\n        - ok\n        - [x]\n"),
      "cfg.yaml:6:11: inputs.docker.filter.include_names[1]: expected a string, got a list");
  EXPECT_EQ(error_of("inputs:\n  docker:\n    filter:\n      exclude_names: [\"\"]\n"),
            "cfg.yaml:4:23: inputs.docker.filter.exclude_names[0]: must not be empty");
  EXPECT_EQ(error_of("pipeline: 5\n"),
            "cfg.yaml:1:1: pipeline: expected a mapping of keys, got '5'");
  EXPECT_EQ(error_of("- a\n- b\n"),
            "cfg.yaml:1:1: <document>: expected a mapping of keys, got a list");
}

TEST(ConfigLoaderErrors, InvalidEnumListsValidValues) {
  EXPECT_EQ(error_of("inputs:\n  docker:\n    mode: fast\n"),
            "cfg.yaml:3:5: inputs.docker.mode: expected 'auto', 'api' or 'file', got 'fast'");
  EXPECT_EQ(error_of("inputs:\n  docker:\n    start_at: end\n"),
            "cfg.yaml:3:5: inputs.docker.start_at: expected 'beginning' or 'now', got 'end'");
  EXPECT_EQ(error_of("sinks:\n  file_store:\n    fsync: always\n"),
            "cfg.yaml:3:5: sinks.file_store.fsync: expected 'every_batch', 'interval' or 'never', "
            "got 'always'");
  EXPECT_EQ(error_of("log_level: verbose\n"),
            "cfg.yaml:1:1: log_level: expected 'trace', 'debug', 'info', 'warn' or 'error', got "
            "'verbose'");
}

TEST(ConfigLoaderErrors, ListenAddresses) {
  EXPECT_EQ(error_of("server:\n  metrics_listen: 8001\n"),
            "cfg.yaml:2:3: server.metrics_listen: expected host:port such as 127.0.0.1:8401 or "
            "[::1]:8401 (\"\" disables), got '8001'");
  const AgentConfig disabled =
      parse_config_text("server:\n  listen: \"\"\n  metrics_listen: ''\n", "x");
  EXPECT_EQ(disabled.server.listen, "");
  EXPECT_EQ(disabled.server.metrics_listen, "");
  EXPECT_EQ(error_of("server:\n  listen: 127.0.0.1:9\n  metrics_listen: 127.0.0.1:9\n"),
            "cfg.yaml:3:3: server.metrics_listen: server.listen and server.metrics_listen must "
            "differ (both are '127.0.0.1:9')");
}

TEST(ConfigLoaderErrors, OtherValueChecks) {
  EXPECT_THAT(error_of("docker:\n  host: /var/run/docker.sock\n"),
              HasSubstr("cfg.yaml:2:3: docker.host: expected unix:///path/to/docker.sock"));
  EXPECT_THAT(error_of("docker:\n  api_version: v1.41\n"),
              HasSubstr("cfg.yaml:2:3: docker.api_version: expected an API version"));
  EXPECT_THAT(error_of("inputs:\n  docker:\n    self_container_id: me\n"),
              HasSubstr("cfg.yaml:3:5: inputs.docker.self_container_id: expected a container id"));
  EXPECT_THAT(error_of("inputs:\n  docker:\n    filter:\n      include_labels: [ok, \"=v\"]\n"),
              HasSubstr("cfg.yaml:4:28: inputs.docker.filter.include_labels[1]: expected a label"));
  EXPECT_EQ(error_of("data_dir: ''\n"), "cfg.yaml:1:1: data_dir: must not be empty");
}

TEST(ConfigLoaderErrors, CrossFieldRules) {
  EXPECT_EQ(
      error_of("inputs:\n  docker:\n    stream_retry_initial: 20s\n    stream_retry_max: 10s\n"),
      "cfg.yaml:3:5: inputs.docker.stream_retry_initial: stream_retry_initial (20s) must "
      "not exceed stream_retry_max (10s)");
  // Only the upper bound set: it is the one blamed.
  EXPECT_EQ(error_of("inputs:\n  docker:\n    stream_retry_max: 50ms\n"),
            "cfg.yaml:3:5: inputs.docker.stream_retry_max: stream_retry_initial (100ms) must not "
            "exceed stream_retry_max (50ms)");
  EXPECT_EQ(error_of("pipeline:\n  memory_limit_bytes: 1MiB\n"),
            "cfg.yaml:2:3: pipeline.memory_limit_bytes: batch_max_bytes (4MiB) must not exceed "
            "memory_limit_bytes (1MiB)");
  EXPECT_EQ(error_of("pipeline:\n  retry_initial: 2m\n  retry_max: 1m\n"),
            "cfg.yaml:2:3: pipeline.retry_initial: retry_initial (2m) must not exceed retry_max "
            "(1m)");
  EXPECT_EQ(error_of("docker:\n  max_idle_connections: 20\n"),
            "cfg.yaml:2:3: docker.max_idle_connections: max_idle_connections (20) must not "
            "exceed max_connections (16)");
  EXPECT_EQ(error_of("docker:\n  reconnect_backoff_initial: 1h\n"),
            "cfg.yaml:2:3: docker.reconnect_backoff_initial: reconnect_backoff_initial (1h) must "
            "not exceed reconnect_backoff_max (30s)");
  // A value already reported as wrong does not also trigger a misleading cross-field error.
  EXPECT_EQ(
      error_of("inputs:\n  docker:\n    stream_retry_initial: x\n    stream_retry_max: 50ms\n"),
      "cfg.yaml:3:5: inputs.docker.stream_retry_initial: expected a duration like 250ms, "
      "5s, 1m or 1h (a bare number is milliseconds), got 'x'");
}

TEST(ConfigLoaderErrors, UnknownKeyWithSuggestion) {
  EXPECT_EQ(error_of("pipelne:\n  flush_interval: 1s\n"),
            "cfg.yaml:1:1: pipelne: unknown key; did you mean 'pipeline'?");
  EXPECT_EQ(error_of("sinks:\n  file_store:\n    max_file: 3\n"),
            "cfg.yaml:3:5: sinks.file_store.max_file: unknown key; did you mean 'max_files'?");
  EXPECT_EQ(error_of("inputs:\n  docker:\n    filter:\n      include_name: [a]\n"),
            "cfg.yaml:4:7: inputs.docker.filter.include_name: unknown key; did you mean "
            "'include_names'?");
}

TEST(ConfigLoaderErrors, UnknownKeyWithoutCloseMatchListsValidKeys) {
  EXPECT_EQ(error_of("server:\n  port: 80\n"),
            "cfg.yaml:2:3: server.port: unknown key (valid keys here: 'listen', "
            "'metrics_listen' or 'allowed_hosts')");
  EXPECT_EQ(error_of("inputs:\n  kafka: {}\n"),
            "cfg.yaml:2:3: inputs.kafka.type: is required: 'docker' or 'files'");
}

TEST(ConfigLoaderErrors, DuplicateKey) {
  EXPECT_EQ(error_of("log_level: info\ndata_dir: /a\nlog_level: debug\n"),
            "cfg.yaml:3:1: log_level: duplicate key (first set at line 1)");
}

TEST(ConfigLoaderErrors, InvalidYaml) {
  EXPECT_EQ(error_of("a: [1, 2\nb: 3\n"),
            "cfg.yaml:2:2: invalid YAML: end of sequence flow not found");
  EXPECT_THAT(error_of("a: 1\n---\nb: 2\n"), HasSubstr("expected one YAML document, found 2"));
}

TEST(ConfigLoaderErrors, EveryProblemReportedInFileOrder) {
  const std::string message = error_of(
      "server:\n  listen: nope\nlog_level: loud\npipelne: {}\ndocker:\n  max_connections: 0\n");
  EXPECT_EQ(message,
            "cfg.yaml:2:3: server.listen: expected host:port such as 127.0.0.1:8401 or "
            "[::1]:8401 (\"\" disables), got 'nope'\n"
            "cfg.yaml:3:1: log_level: expected 'trace', 'debug', 'info', 'warn' or 'error', got "
            "'loud'\n"
            "cfg.yaml:4:1: pipelne: unknown key; did you mean 'pipeline'?\n"
            "cfg.yaml:6:3: docker.max_connections: expected a whole number from 1 to "
            "4294967295, got '0'");
}

TEST(ConfigLoaderErrors, ManyProblemsAreCapped) {
  std::string yaml;
  for (int i = 0; i < 80; ++i) yaml += "unknown_" + std::to_string(i) + ": 1\n";
  const std::string message = error_of(yaml);
  EXPECT_EQ(std::count(message.begin(), message.end(), '\n'), 50);
  EXPECT_THAT(message, HasSubstr("cfg.yaml: ... and 30 more problems"));
}

TEST(ConfigLoader, KeyCatalogListsEveryLeaf) {
  const auto paths = config_key_paths();
  EXPECT_EQ(paths.front(), "data_dir");
  EXPECT_EQ(paths.size(),
            328u);  // 6 top-level, 15 docker, 17 inputs.docker, 14 inputs.files, 9 pipeline,
                    // 81 processors (8 of when, 5 of multiline, 5 of parse_json, 3 of parse_regex,
                    // 8 of fields, 7 of redact, 5 of throttle, 8 of always_keep, 3 of level, 7 of
                    // log_to_metric, 5 of lua...), 3 dead_letters, 17
                    // shared by every sink (sinks.<name>.*),
                    // 5 sinks.file_store, 20 sinks.loki, 21 sinks.kafka, 19 sinks.otlp, 22
                    // sinks.elasticsearch, 21 sinks.splunk_hec, 16 sinks.http, 22 sinks.syslog, 2
                    // sinks.console, 9
                    // routes, 3 server,
                    // 2 config
  for (const char* expected :
       {"docker.reconnect_backoff_max", "inputs.docker.filter.exclude_images",
        "inputs.docker.self_container_id", "pipeline.retry_max", "sinks.file_store.fsync_interval",
        "sinks.<name>.type", "sinks.<name>.batch.max_records", "sinks.<name>.retry.limit",
        "sinks.<name>.dead_letters", "sinks.<name>.disk_buffer.fsync", "sinks.loki.url",
        "server.metrics_listen", "processors[].when.streams", "processors[].on_error"}) {
    EXPECT_NE(std::find(paths.begin(), paths.end(), expected), paths.end()) << expected;
  }
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    directory_ =
        std::filesystem::temp_directory_path() / ("lc_config_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override { std::filesystem::remove_all(directory_); }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = directory_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::filesystem::path directory_;
};

TEST_F(ConfigFileTest, LoadsAFileAndNamesItInErrors) {
  const std::string good = write("good.yaml", "log_level: error\n");
  EXPECT_EQ(load_config_file(good).log_level, "error");
  const std::string bad = write("bad.yaml", "\nlog_level: 3\n");
  try {
    load_config_file(bad);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              bad +
                  ":2:1: log_level: expected 'trace', 'debug', 'info', 'warn' or 'error', got "
                  "'3'");
  }
}

TEST_F(ConfigFileTest, UnreadableFilesAreConfigErrors) {
  const std::string missing = (directory_ / "missing.yaml").string();
  try {
    load_config_file(missing);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              missing + ": cannot read the configuration: No such file or directory");
  }
  EXPECT_THROW(load_config_file(directory_.string()), ConfigError);
}

TEST_F(ConfigFileTest, OversizedFileIsRejected) {
  const std::string big = write("big.yaml", std::string(kMaxConfigFileBytes + 1, '#'));
  try {
    load_config_file(big);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_THAT(error.what(), HasSubstr("larger than 4MiB"));
  }
  const std::string at_limit = write("limit.yaml", std::string(kMaxConfigFileBytes, '#'));
  EXPECT_EQ(load_config_file(at_limit).log_level, "info");
}

}  // namespace
}  // namespace lc

namespace lc {
namespace {

// yaml-cpp 0.7 never returns (and allocates without bound) on these; found by fuzzing.
TEST(ConfigLoader, RefusesADocumentStartingWithACommaBeforeYamlCppHangsOnIt) {
  EXPECT_EQ(error_of(",!a:"), "cfg.yaml:1:1: invalid YAML: a document cannot start with ','");
  EXPECT_EQ(error_of("# comment\n\n  , x: 1\n"),
            "cfg.yaml:3:3: invalid YAML: a document cannot start with ','");
  EXPECT_EQ(error_of("--- !tag &anchor ,x\n"),
            "cfg.yaml:1:18: invalid YAML: a document cannot start with ','");
  EXPECT_EQ(error_of("--- !t &xp,y\n"),
            "cfg.yaml:1:11: invalid YAML: a document cannot start with ','");
  EXPECT_EQ(error_of("a: 1\n--- &x\x16,y\n"),
            "cfg.yaml:2:7: invalid YAML: control character U+0016");
  // A shape the checks above do not know: the parser is tried in a child process first.
  EXPECT_THAT(error_of("K: a\nx: |\n  y\n--- !t &x !t$&x ,y\n"), HasSubstr("cannot start"));
  const char* source_dir = std::getenv("LC_SOURCE_DIR");
  ASSERT_NE(source_dir, nullptr) << "run through ctest (it sets LC_SOURCE_DIR)";
  std::ifstream hang(std::string(source_dir) +
                     "/fuzz/corpus/config_loader/regression_sequence_entry_hangs_yaml_cpp");
  const std::string text((std::istreambuf_iterator<char>(hang)), std::istreambuf_iterator<char>());
  ASSERT_FALSE(text.empty());
  EXPECT_THAT(error_of(text), HasSubstr("does not finish on this file"));
  // A ',' anywhere else is left to the parser (and valid inside flow collections).
  EXPECT_NO_THROW(parse_config_text(
      "inputs:\n  docker:\n    filter:\n      include_names: [a,\n        b]\n", "test.yaml"));
}

}  // namespace
}  // namespace lc
