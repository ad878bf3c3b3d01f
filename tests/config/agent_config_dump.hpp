#pragma once

#include <sstream>
#include <string>

#include "config/agent_config.hpp"

namespace lc::testing {

// Every field of an AgentConfig, one "key = value" line each, so two configs compare as
// strings and a mismatch shows exactly which field differs.
inline std::string dump_config(const AgentConfig& c) {
  std::ostringstream out;
  auto list = [&](const char* key, const std::vector<std::string>& values) {
    out << key << " = [";
    for (const auto& value : values) out << value << ',';
    out << "]\n";
  };
  auto ms = [](Duration d) { return std::to_string(d.count()) + "ms"; };
  auto delivery = [&](const std::string& sink, const SinkDeliveryConfig& v) {
    const std::string p = "sinks." + sink + ".";
    out << p << "when_full = " << static_cast<int>(v.when_full) << '\n'
        << p << "max_queued_bytes = " << v.max_queued_bytes << '\n'
        << p << "disk_buffer.enabled = " << v.disk_buffer.enabled << '\n'
        << p << "disk_buffer.directory = " << v.disk_buffer.directory << '\n'
        << p << "disk_buffer.max_bytes = " << v.disk_buffer.max_bytes << '\n'
        << p << "disk_buffer.segment_bytes = " << v.disk_buffer.segment_bytes << '\n'
        << p << "disk_buffer.fsync = " << static_cast<int>(v.disk_buffer.fsync) << '\n'
        << p << "disk_buffer.fsync_interval = " << ms(v.disk_buffer.fsync_interval) << '\n';
  };
  auto selector = [&](const std::string& p, const RecordSelectorConfig& v) {
    list((p + ".sources").c_str(), v.sources);
    list((p + ".streams").c_str(), v.streams);
    list((p + ".container_names").c_str(), v.container_names);
    list((p + ".images").c_str(), v.images);
    list((p + ".labels").c_str(), v.labels);
    list((p + ".files").c_str(), v.files);
    out << p << ".message = " << v.message << '\n';
  };
  out << "data_dir = " << c.data_dir << "\ndata_dir_group = " << c.data_dir_group
      << "\nlog_level = " << c.log_level << "\ncheckpoint_interval = " << ms(c.checkpoint_interval)
      << "\nshutdown_timeout = " << ms(c.shutdown_timeout) << '\n';
  const DockerConfig& d = c.docker;
  out << "docker.host = " << d.host << "\ndocker.tls = " << d.tls
      << "\ndocker.tls_verify = " << d.tls_verify << "\ndocker.cert_path = " << d.cert_path
      << "\ndocker.ca_file = " << d.ca_file << "\ndocker.cert_file = " << d.cert_file
      << "\ndocker.key_file = " << d.key_file << "\ndocker.api_version = " << d.api_version
      << "\ndocker.max_idle_connections = " << d.max_idle_connections
      << "\ndocker.max_connections = " << d.max_connections
      << "\ndocker.idle_timeout = " << ms(d.idle_timeout)
      << "\ndocker.connect_timeout = " << ms(d.connect_timeout)
      << "\ndocker.request_timeout = " << ms(d.request_timeout)
      << "\ndocker.reconnect_backoff_initial = " << ms(d.reconnect_backoff_initial)
      << "\ndocker.reconnect_backoff_max = " << ms(d.reconnect_backoff_max) << '\n';
  const DockerInputConfig& i = c.docker_input;
  out << "inputs.docker.enabled = " << i.enabled << '\n';
  list("inputs.docker.filter.include_names", i.filter.include_names);
  list("inputs.docker.filter.exclude_names", i.filter.exclude_names);
  list("inputs.docker.filter.include_labels", i.filter.include_labels);
  list("inputs.docker.filter.exclude_labels", i.filter.exclude_labels);
  list("inputs.docker.filter.include_images", i.filter.include_images);
  list("inputs.docker.filter.exclude_images", i.filter.exclude_images);
  out << "inputs.docker.start_at = " << static_cast<int>(i.start_at)
      << "\ninputs.docker.max_line_bytes = " << i.max_line_bytes
      << "\ninputs.docker.reconcile_interval = " << ms(i.reconcile_interval)
      << "\ninputs.docker.stream_retry_initial = " << ms(i.stream_retry_initial)
      << "\ninputs.docker.stream_retry_max = " << ms(i.stream_retry_max)
      << "\ninputs.docker.self_container_id = " << i.self_container_id
      << "\ninputs.docker.mode = " << static_cast<int>(i.mode)
      << "\ninputs.docker.host_root = " << i.host_root
      << "\ninputs.docker.file_poll_interval = " << ms(i.file_poll_interval)
      << "\ninputs.docker.max_pinned_files = " << i.max_pinned_files << '\n';
  const FileInputConfig& fi = c.file_input;
  out << "inputs.files.enabled = " << fi.enabled << '\n';
  list("inputs.files.include", fi.include);
  list("inputs.files.exclude", fi.exclude);
  list("inputs.files.labels", fi.labels);
  out << "inputs.files.start_at = " << static_cast<int>(fi.start_at)
      << "\ninputs.files.max_line_bytes = " << fi.max_line_bytes
      << "\ninputs.files.max_open_files = " << fi.max_open_files
      << "\ninputs.files.poll_interval = " << ms(fi.poll_interval)
      << "\ninputs.files.rescan_interval = " << ms(fi.rescan_interval)
      << "\ninputs.files.rotate_wait = " << ms(fi.rotate_wait)
      << "\ninputs.files.multiline.start_pattern = " << fi.multiline_start_pattern
      << "\ninputs.files.multiline.negate = " << fi.multiline_negate
      << "\ninputs.files.multiline.max_lines = " << fi.multiline_max_lines
      << "\ninputs.files.multiline.flush_timeout = " << ms(fi.multiline_flush_timeout) << '\n';
  const PipelineConfig& p = c.pipeline;
  out << "pipeline.memory_limit_bytes = " << p.memory_limit_bytes
      << "\npipeline.batch_max_records = " << p.batch_max_records
      << "\npipeline.batch_max_bytes = " << p.batch_max_bytes
      << "\npipeline.flush_interval = " << ms(p.flush_interval)
      << "\npipeline.flush_on_idle = " << p.flush_on_idle
      << "\npipeline.retry_initial = " << ms(p.retry_initial)
      << "\npipeline.retry_max = " << ms(p.retry_max)
      << "\npipeline.retry_limit = " << p.retry_limit << '\n';
  const FileStoreConfig& f = c.sinks.file_store;
  out << "sinks.file_store.enabled = " << f.enabled
      << "\nsinks.file_store.directory = " << f.directory
      << "\nsinks.file_store.max_file_bytes = " << f.max_file_bytes
      << "\nsinks.file_store.max_files = " << f.max_files
      << "\nsinks.file_store.fsync = " << static_cast<int>(f.fsync)
      << "\nsinks.file_store.fsync_interval = " << ms(f.fsync_interval) << '\n';
  delivery("file_store", f.delivery);
  const LokiSinkConfig& l = c.sinks.loki;
  out << "sinks.loki.enabled = " << l.enabled << "\nsinks.loki.url = " << l.url
      << "\nsinks.loki.tenant_id = " << l.tenant_id << "\nsinks.loki.username = " << l.username
      << "\nsinks.loki.password = " << l.password
      << "\nsinks.loki.bearer_token = " << l.bearer_token
      << "\nsinks.loki.format = " << static_cast<int>(l.format) << "\nsinks.loki.gzip = " << l.gzip
      << "\nsinks.loki.hostname = " << l.hostname << '\n';
  list("sinks.loki.labels", l.labels);
  list("sinks.loki.drop_labels", l.drop_labels);
  list("sinks.loki.structured_metadata", l.structured_metadata);
  out << "sinks.loki.tls_verify = " << l.tls_verify << "\nsinks.loki.ca_file = " << l.ca_file
      << "\nsinks.loki.cert_file = " << l.cert_file << "\nsinks.loki.key_file = " << l.key_file
      << "\nsinks.loki.connect_timeout = " << ms(l.connect_timeout)
      << "\nsinks.loki.request_timeout = " << ms(l.request_timeout) << '\n';
  delivery("loki", l.delivery);
  for (const LokiSinkConfig& named : c.sinks.named_loki) {
    const std::string p = "sinks." + named.name + ".";
    out << p << "enabled = " << named.enabled << '\n'
        << p << "url = " << named.url << '\n'
        << p << "tenant_id = " << named.tenant_id << '\n';
    delivery(named.name, named.delivery);
  }
  for (std::size_t i = 0; i < c.processors.size(); ++i) {
    const ProcessorConfig& p = c.processors[i];
    const std::string key = "processors[" + std::to_string(i) + "]";
    out << key << ".name = " << p.name << '\n'
        << key << ".type = " << static_cast<int>(p.type) << '\n';
    if (p.include) selector(key + ".include", *p.include);
    if (p.exclude) selector(key + ".exclude", *p.exclude);
  }
  for (std::size_t i = 0; i < c.routes.size(); ++i) {
    const std::string key = "routes[" + std::to_string(i) + "]";
    selector(key + ".match", c.routes[i].match);
    list((key + ".sinks").c_str(), c.routes[i].sinks);
  }
  out << "dead_letters.enabled = " << c.dead_letters.enabled
      << "\ndead_letters.directory = " << c.dead_letters.directory
      << "\ndead_letters.max_bytes = " << c.dead_letters.max_bytes << '\n';
  out << "server.listen = " << c.server.listen
      << "\nserver.metrics_listen = " << c.server.metrics_listen << '\n';
  list("server.allowed_hosts", c.server.allowed_hosts);
  return out.str();
}

}  // namespace lc::testing
