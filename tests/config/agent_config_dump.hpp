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
  out << "data_dir = " << c.data_dir << "\nlog_level = " << c.log_level
      << "\ncheckpoint_interval = " << ms(c.checkpoint_interval)
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
      << "\ninputs.docker.self_container_id = " << i.self_container_id << '\n';
  const PipelineConfig& p = c.pipeline;
  out << "pipeline.memory_limit_bytes = " << p.memory_limit_bytes
      << "\npipeline.batch_max_records = " << p.batch_max_records
      << "\npipeline.batch_max_bytes = " << p.batch_max_bytes
      << "\npipeline.flush_interval = " << ms(p.flush_interval)
      << "\npipeline.retry_initial = " << ms(p.retry_initial)
      << "\npipeline.retry_max = " << ms(p.retry_max) << '\n';
  const FileStoreConfig& f = c.sinks.file_store;
  out << "sinks.file_store.enabled = " << f.enabled
      << "\nsinks.file_store.directory = " << f.directory
      << "\nsinks.file_store.max_file_bytes = " << f.max_file_bytes
      << "\nsinks.file_store.max_files = " << f.max_files
      << "\nsinks.file_store.fsync = " << static_cast<int>(f.fsync)
      << "\nsinks.file_store.fsync_interval = " << ms(f.fsync_interval) << '\n';
  out << "server.listen = " << c.server.listen
      << "\nserver.metrics_listen = " << c.server.metrics_listen << '\n';
  return out.str();
}

}  // namespace lc::testing
