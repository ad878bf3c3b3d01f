#pragma once

#include <sstream>
#include <string>

#include "config/agent_config.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/file/file_input_config.hpp"
#include "processors/filter/filter_options.hpp"
#include "sinks/console/console_sink_options.hpp"
#include "sinks/elasticsearch/elasticsearch_sink_options.hpp"
#include "sinks/file_store/file_store_options.hpp"
#include "sinks/loki/loki_sink_options.hpp"
#include "sinks/otlp/otlp_sink_options.hpp"
#include "sinks/splunk_hec/splunk_hec_sink_options.hpp"

namespace lc::testing {

// Every field of an AgentConfig, one "key = value" line each, so two configs compare as
// strings and a mismatch shows exactly which field differs.
// The options of the input `name` (inputs.docker, inputs.files by default), or the type's
// defaults when there is none: for tests that read one input's keys.
template <typename Options>
const Options& input_options(const AgentConfig& config, std::string_view name) {
  static const Options defaults;
  const InputSpec* input = config.find_input(name);
  return input != nullptr ? input->options_as<Options>() : defaults;
}
inline const DockerInputConfig& docker_input_of(const AgentConfig& config) {
  return input_options<DockerInputConfig>(config, "docker");
}
inline const FileInputConfig& file_input_of(const AgentConfig& config) {
  return input_options<FileInputConfig>(config, "files");
}

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
        << p << "disk_buffer.fsync_interval = " << ms(v.disk_buffer.fsync_interval) << '\n'
        << p << "batch.max_records = " << v.batch.max_records << '\n'
        << p << "batch.max_bytes = " << v.batch.max_bytes << '\n'
        << p << "batch.flush_interval = " << ms(v.batch.flush_interval) << '\n'
        << p << "retry.initial = " << ms(v.retry.initial) << '\n'
        << p << "retry.max = " << ms(v.retry.max) << '\n'
        << p << "retry.limit = " << v.retry.limit << '\n'
        << p << "dead_letters = " << v.dead_letters << '\n';
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
      << "\ndocker.tls_verify = " << d.tls_client.verify << "\ndocker.cert_path = " << d.cert_path
      << "\ndocker.ca_file = " << d.tls_client.ca_file
      << "\ndocker.cert_file = " << d.tls_client.cert_file
      << "\ndocker.key_file = " << d.tls_client.key_file
      << "\ndocker.api_version = " << d.api_version
      << "\ndocker.max_idle_connections = " << d.max_idle_connections
      << "\ndocker.max_connections = " << d.max_connections
      << "\ndocker.idle_timeout = " << ms(d.idle_timeout)
      << "\ndocker.connect_timeout = " << ms(d.connect_timeout)
      << "\ndocker.request_timeout = " << ms(d.request_timeout)
      << "\ndocker.reconnect_backoff_initial = " << ms(d.reconnect_backoff_initial)
      << "\ndocker.reconnect_backoff_max = " << ms(d.reconnect_backoff_max) << '\n';
  for (const InputSpec& input : c.inputs) {
    const std::string p = "inputs." + input.name + ".";
    out << p << "type = " << input.type << '\n' << p << "enabled = " << input.enabled << '\n';
    if (const auto* i = dynamic_cast<const DockerInputConfig*>(input.options.get())) {
      list((p + "filter.include_names").c_str(), i->filter.include_names);
      list((p + "filter.exclude_names").c_str(), i->filter.exclude_names);
      list((p + "filter.include_labels").c_str(), i->filter.include_labels);
      list((p + "filter.exclude_labels").c_str(), i->filter.exclude_labels);
      list((p + "filter.include_images").c_str(), i->filter.include_images);
      list((p + "filter.exclude_images").c_str(), i->filter.exclude_images);
      out << p << "start_at = " << static_cast<int>(i->start_at) << '\n'
          << p << "max_line_bytes = " << i->max_line_bytes << '\n'
          << p << "reconcile_interval = " << ms(i->reconcile_interval) << '\n'
          << p << "stream_retry_initial = " << ms(i->stream_retry_initial) << '\n'
          << p << "stream_retry_max = " << ms(i->stream_retry_max) << '\n'
          << p << "self_container_id = " << i->self_container_id << '\n'
          << p << "mode = " << static_cast<int>(i->mode) << '\n'
          << p << "host_root = " << i->host_root << '\n'
          << p << "file_poll_interval = " << ms(i->file_poll_interval) << '\n'
          << p << "max_pinned_files = " << i->max_pinned_files << '\n';
    } else if (const auto* fi = dynamic_cast<const FileInputConfig*>(input.options.get())) {
      list((p + "include").c_str(), fi->include);
      list((p + "exclude").c_str(), fi->exclude);
      list((p + "labels").c_str(), fi->labels);
      out << p << "start_at = " << static_cast<int>(fi->start_at) << '\n'
          << p << "max_line_bytes = " << fi->max_line_bytes << '\n'
          << p << "max_open_files = " << fi->max_open_files << '\n'
          << p << "poll_interval = " << ms(fi->poll_interval) << '\n'
          << p << "rescan_interval = " << ms(fi->rescan_interval) << '\n'
          << p << "rotate_wait = " << ms(fi->rotate_wait) << '\n'
          << p << "multiline.start_pattern = " << fi->multiline_start_pattern << '\n'
          << p << "multiline.negate = " << fi->multiline_negate << '\n'
          << p << "multiline.max_lines = " << fi->multiline_max_lines << '\n'
          << p << "multiline.flush_timeout = " << ms(fi->multiline_flush_timeout) << '\n';
    } else {
      out << p << "options = (a " << input.type << " input's)\n";
    }
  }
  const PipelineConfig& p = c.pipeline;
  out << "pipeline.memory_limit_bytes = " << p.memory_limit_bytes
      << "\npipeline.batch_max_records = " << p.batch_max_records
      << "\npipeline.batch_max_bytes = " << p.batch_max_bytes
      << "\npipeline.flush_interval = " << ms(p.flush_interval)
      << "\npipeline.flush_on_idle = " << p.flush_on_idle
      << "\npipeline.retry_initial = " << ms(p.retry_initial)
      << "\npipeline.retry_max = " << ms(p.retry_max)
      << "\npipeline.retry_limit = " << p.retry_limit << '\n';
  for (const SinkSpec& sink : c.sinks) {
    const std::string p = "sinks." + sink.name + ".";
    out << p << "type = " << sink.type << '\n' << p << "enabled = " << sink.enabled << '\n';
    delivery(sink.name, sink.delivery);
    if (const auto* f = dynamic_cast<const FileStoreOptions*>(sink.options.get())) {
      out << p << "directory = " << f->directory << '\n'
          << p << "max_file_bytes = " << f->max_file_bytes << '\n'
          << p << "max_files = " << f->max_files << '\n'
          << p << "fsync = " << static_cast<int>(f->fsync) << '\n'
          << p << "fsync_interval = " << ms(f->fsync_interval) << '\n';
    } else if (const auto* l = dynamic_cast<const LokiSinkOptions*>(sink.options.get())) {
      out << p << "url = " << l->url << '\n'
          << p << "tenant_id = " << l->tenant_id << '\n'
          << p << "username = " << l->username << '\n'
          << p << "password = " << l->password << '\n'
          << p << "bearer_token = " << l->bearer_token << '\n'
          << p << "format = " << static_cast<int>(l->format) << '\n'
          << p << "gzip = " << l->gzip << '\n'
          << p << "hostname = " << l->hostname << '\n';
      list((p + "labels").c_str(), l->labels);
      list((p + "drop_labels").c_str(), l->drop_labels);
      list((p + "structured_metadata").c_str(), l->structured_metadata);
      out << p << "tls_verify = " << l->tls.verify << '\n'
          << p << "ca_file = " << l->tls.ca_file << '\n'
          << p << "cert_file = " << l->tls.cert_file << '\n'
          << p << "key_file = " << l->tls.key_file << '\n'
          << p << "connect_timeout = " << ms(l->connect_timeout) << '\n'
          << p << "request_timeout = " << ms(l->request_timeout) << '\n';
    } else if (const auto* o = dynamic_cast<const OtlpSinkOptions*>(sink.options.get())) {
      out << p << "endpoint = " << o->endpoint << '\n'
          << p << "encoding = " << static_cast<int>(o->encoding) << '\n'
          << p << "compression = " << static_cast<int>(o->compression) << '\n'
          << p << "username = " << o->username << '\n'
          << p << "password = " << o->password << '\n'
          << p << "bearer_token = " << o->bearer_token << '\n'
          << p << "service_name = " << o->service_name << '\n'
          << p << "hostname = " << o->hostname << '\n'
          << p << "severity_field = " << o->severity_field << '\n';
      for (const auto& [name, value] : o->headers)
        out << p << "headers." << name << " = " << value << '\n';
      list((p + "resource_attributes").c_str(), o->resource_attributes);
      out << p << "tls_verify = " << o->tls.verify << '\n'
          << p << "ca_file = " << o->tls.ca_file << '\n'
          << p << "cert_file = " << o->tls.cert_file << '\n'
          << p << "key_file = " << o->tls.key_file << '\n'
          << p << "connect_timeout = " << ms(o->connect_timeout) << '\n'
          << p << "request_timeout = " << ms(o->request_timeout) << '\n';
    } else if (const auto* e = dynamic_cast<const ElasticsearchSinkOptions*>(sink.options.get())) {
      list((p + "endpoints").c_str(), e->endpoints);
      out << p << "mode = " << static_cast<int>(e->mode) << '\n'
          << p << "index = " << e->index << '\n'
          << p << "data_stream = " << e->data_stream_type << '-' << e->data_stream_dataset << '-'
          << e->data_stream_namespace << '\n'
          << p << "pipeline = " << e->pipeline << '\n'
          << p << "compression = " << static_cast<int>(e->compression) << '\n'
          << p << "username = " << e->username << '\n'
          << p << "password = " << e->password << '\n'
          << p << "api_key = " << e->api_key << '\n'
          << p << "bearer_token = " << e->bearer_token << '\n';
      for (const auto& [name, value] : e->headers)
        out << p << "headers." << name << " = " << value << '\n';
      out << p << "tls_verify = " << e->tls.verify << '\n'
          << p << "ca_file = " << e->tls.ca_file << '\n'
          << p << "connect_timeout = " << ms(e->connect_timeout) << '\n'
          << p << "request_timeout = " << ms(e->request_timeout) << '\n';
    } else if (const auto* h = dynamic_cast<const SplunkHecSinkOptions*>(sink.options.get())) {
      out << p << "endpoint = " << h->endpoint << '\n'
          << p << "api = " << static_cast<int>(h->api) << '\n'
          << p << "token = " << h->token << '\n'
          << p << "metadata = " << h->host << '|' << h->source << '|' << h->sourcetype << '|'
          << h->index << '\n'
          << p << "event_format = " << static_cast<int>(h->event_format) << '\n'
          << p << "compression = " << static_cast<int>(h->compression) << '\n'
          << p << "acknowledgements = " << h->acknowledgements << ' ' << ms(h->ack_interval) << ' '
          << ms(h->ack_timeout) << '\n';
      for (const auto& [name, value] : h->fields)
        out << p << "fields." << name << " = " << value << '\n';
      for (const auto& [name, value] : h->headers)
        out << p << "headers." << name << " = " << value << '\n';
      out << p << "tls_verify = " << h->tls.verify << '\n'
          << p << "ca_file = " << h->tls.ca_file << '\n'
          << p << "connect_timeout = " << ms(h->connect_timeout) << '\n'
          << p << "request_timeout = " << ms(h->request_timeout) << '\n';
    } else if (const auto* k = dynamic_cast<const ConsoleSinkOptions*>(sink.options.get())) {
      out << p << "stream = " << static_cast<int>(k->stream) << '\n'
          << p << "encoding = " << static_cast<int>(k->encoding) << '\n';
    } else {
      out << p << "options = (a " << sink.type << " sink's)\n";
    }
  }
  for (std::size_t i = 0; i < c.processors.size(); ++i) {
    const ProcessorSpec& p = c.processors[i];
    const std::string key = "processors[" + std::to_string(i) + "]";
    out << key << ".name = " << p.name << '\n' << key << ".type = " << p.type << '\n';
    if (const auto* filter = dynamic_cast<const FilterOptions*>(p.options.get())) {
      if (filter->include) selector(key + ".include", *filter->include);
      if (filter->exclude) selector(key + ".exclude", *filter->exclude);
    }
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
  out << "config.watch = " << c.config_watch.watch
      << "\nconfig.watch_interval = " << c.config_watch.watch_interval.count() << '\n';
  return out.str();
}

}  // namespace lc::testing
