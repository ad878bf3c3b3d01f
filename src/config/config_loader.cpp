#include "config/config_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/byte_size_text.hpp"
#include "config/config_value_checks.hpp"
#include "config/duration_text.hpp"
#include "config/edit_distance.hpp"
#include "config/environment_expansion.hpp"
#include "config/record_selector_reader.hpp"
#include "config/tls_client_reader.hpp"
#include "config/yaml_parse_guard.hpp"
#include "config/yaml_section.hpp"

namespace lc {
namespace {

// One small function per section: a new input, processor or sink adds its own reader and one
// read_section() line in its parent, and nothing else changes.

std::string show_count(std::uint32_t value) { return std::to_string(value); }

void read_docker(YamlSection& section, DockerConfig& docker) {
  section.read_string("host", docker.host, check_docker_host);
  section.read_bool("tls", docker.tls);
  section.read_string("cert_path", docker.cert_path);
  read_tls_client_options(section, docker.tls_client);
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

constexpr std::array<EnumChoice<SinkDeliveryConfig::WhenFull>, 2> kWhenFullChoices{{
    {"block", SinkDeliveryConfig::WhenFull::kBlock},
    {"drop_newest", SinkDeliveryConfig::WhenFull::kDropNewest},
}};
constexpr std::array<EnumChoice<SinkDeliveryConfig::DiskBuffer::Fsync>, 3> kBufferFsyncChoices{{
    {"every_batch", SinkDeliveryConfig::DiskBuffer::Fsync::kEveryBatch},
    {"interval", SinkDeliveryConfig::DiskBuffer::Fsync::kInterval},
    {"never", SinkDeliveryConfig::DiskBuffer::Fsync::kNever},
}};

void read_disk_buffer(YamlSection& buffer, SinkDeliveryConfig::DiskBuffer& disk) {
  buffer.read_bool("enabled", disk.enabled);
  buffer.read_string("directory", disk.directory);
  buffer.read_byte_size("max_bytes", disk.max_bytes, 1024 * 1024);
  buffer.read_byte_size("segment_bytes", disk.segment_bytes, 64 * 1024);
  buffer.read_enum<SinkDeliveryConfig::DiskBuffer::Fsync>("fsync", disk.fsync, kBufferFsyncChoices);
  buffer.read_duration("fsync_interval", disk.fsync_interval);
}

// What a sink's shared keys default to: pipeline.* and dead_letters.enabled.
SinkDeliveryConfig sink_delivery_defaults(const AgentConfig& config) {
  SinkDeliveryConfig delivery = delivery_defaults(config.pipeline);
  delivery.dead_letters = config.dead_letters.enabled;
  return delivery;
}

// The keys every sink has, whatever its type: how the pipeline feeds it.
void read_sink_delivery(YamlSection& section, SinkDeliveryConfig& delivery,
                        const AgentConfig& config) {
  section.read_enum<SinkDeliveryConfig::WhenFull>("when_full", delivery.when_full,
                                                  kWhenFullChoices);
  section.read_byte_size("max_queued_bytes", delivery.max_queued_bytes);
  section.read_section(
      "disk_buffer", [&](YamlSection& buffer) { read_disk_buffer(buffer, delivery.disk_buffer); });
  section.read_section("batch", [&](YamlSection& batch) {
    batch.read_count("max_records", delivery.batch.max_records);
    batch.read_byte_size("max_bytes", delivery.batch.max_bytes);
    batch.read_duration("flush_interval", delivery.batch.flush_interval);
    // Not written: pipeline.batch_max_bytes, which pipeline's own check covers.
    if (batch.has("max_bytes") && !batch.failed("max_bytes") &&
        delivery.batch.max_bytes > config.pipeline.memory_limit_bytes) {
      batch.fail("max_bytes", fmt::format("({}) must not exceed pipeline.memory_limit_bytes ({})",
                                          format_byte_size(delivery.batch.max_bytes),
                                          format_byte_size(config.pipeline.memory_limit_bytes)));
    }
  });
  section.read_section("retry", [&](YamlSection& retry) {
    retry.read_duration("initial", delivery.retry.initial);
    retry.read_duration("max", delivery.retry.max);
    retry.read_count("limit", delivery.retry.limit, 0);
    if (retry.has("initial") || retry.has("max")) {  // else pipeline.retry_*, checked there
      retry.require_not_above("initial", delivery.retry.initial, "max", delivery.retry.max,
                              format_duration);
    }
  });
  section.read_bool("dead_letters", delivery.dead_letters);
  if (delivery.dead_letters && !config.dead_letters.enabled) {
    section.fail("dead_letters", "dead_letters.enabled is false: there is no store to keep them");
  }
}

void read_dead_letters(YamlSection& section, DeadLetterConfig& dead_letters) {
  section.read_bool("enabled", dead_letters.enabled);
  section.read_string("directory", dead_letters.directory);
  section.read_byte_size("max_bytes", dead_letters.max_bytes, 1024 * 1024);
}

void read_pipeline(YamlSection& section, PipelineConfig& pipeline) {
  section.read_byte_size("memory_limit_bytes", pipeline.memory_limit_bytes);
  section.read_byte_size("read_ahead_bytes", pipeline.read_ahead_bytes, 64 * 1024);
  section.read_count("batch_max_records", pipeline.batch_max_records);
  section.read_byte_size("batch_max_bytes", pipeline.batch_max_bytes);
  section.read_duration("flush_interval", pipeline.flush_interval);
  section.read_bool("flush_on_idle", pipeline.flush_on_idle);
  section.read_duration("retry_initial", pipeline.retry_initial);
  section.read_duration("retry_max", pipeline.retry_max);
  section.read_count("retry_limit", pipeline.retry_limit, 0);
  section.require_not_above("batch_max_bytes", pipeline.batch_max_bytes, "memory_limit_bytes",
                            pipeline.memory_limit_bytes, format_byte_size);
  section.require_not_above("retry_initial", pipeline.retry_initial, "retry_max",
                            pipeline.retry_max, format_duration);
}

// A name of the user's for a component: it labels metrics and names directories.
ValueProblem check_component_name(std::string_view name, std::string_view kind) {
  const bool valid = !name.empty() && name.size() <= 64 && name.front() >= 'a' &&
                     name.front() <= 'z' && std::all_of(name.begin(), name.end(), [](char c) {
                       return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
                     });
  if (valid) return std::nullopt;
  return fmt::format(
      "{} name is a lowercase letter then letters, digits or '_' (at most 64), got {}", kind,
      quote_for_message(name));
}

template <typename Factory>
std::string type_list(const TypeTable<Factory>& types) {
  const std::vector<std::string> names = types.names();
  const std::vector<std::string_view> views(names.begin(), names.end());
  return describe_choices(views.data(), views.size());
}

// The factory of `type`, or null with the problem (and a "did you mean") reported at `type`.
template <typename Factory>
const Factory* find_type(YamlSection& section, const std::string& type,
                         const TypeTable<Factory>& types, std::string_view kind) {
  const Factory* factory = types.find(type);
  if (factory == nullptr && !section.failed("type")) {
    const auto suggestion = closest_match(type, types.names());
    section.fail(
        "type",
        fmt::format("unknown {} type {}{} (types: {})", kind, quote_for_message(type),
                    suggestion ? fmt::format("; did you mean '{}'?", *suggestion) : std::string(),
                    type_list(types)));
  }
  return factory;
}

// The factory of sinks.<name> (inputs.<name>): its `type:`, or the type the name is
// (sinks.loki is short for sinks.loki: {type: loki}). Null, with the problem reported, when
// there is none.
template <typename Factory>
const Factory* component_type_of(YamlSection& section, const std::string& name,
                                 const TypeTable<Factory>& types, std::string_view kind) {
  std::string type;
  section.read_string("type", type);  // "type:" (null) is as good as absent
  if (type.empty() && !section.failed("type")) {
    if (const Factory* shorthand = types.find(name)) return shorthand;
    const auto suggestion = closest_match(name, types.names());
    section.fail("type", suggestion ? fmt::format("is required; did you mean the {} '{}'? (a name "
                                                  "of your own needs type: {})",
                                                  kind, *suggestion, type_list(types))
                                    : fmt::format("is required: {}", type_list(types)));
    return suggestion ? types.find(*suggestion) : nullptr;  // read its keys: one error is enough
  }
  return find_type(section, type, types, kind);
}

// <kind>s.<type> is that type's shorthand: another type under the name would be misread.
template <typename Factory>
void refuse_name_of_other_type(YamlSection& section, const std::string& name,
                               const TypeTable<Factory>& types, const Factory& factory,
                               std::string_view kind) {
  if (const Factory* named = types.find(name); named != nullptr && named != &factory) {
    section.fail("type", fmt::format("the name {} is the {} {}'s; give this {} {} another",
                                     quote_for_message(name), name, kind, factory.type(), kind));
  }
}

// inputs.<name>: its type's keys. An input of a single-instance type (docker) may be declared
// once among the enabled ones.
void read_input(YamlSection& inputs_section, const std::string& name, AgentConfig& config,
                const InputTypes& types) {
  inputs_section.read_section(name, [&](YamlSection& section) {
    if (auto problem = check_component_name(name, "an input")) section.fail("type", *problem);
    const bool type_written = section.has("type");  // else a shorthand: the name is the type
    const InputFactory* factory = component_type_of(section, name, types, "input");
    if (factory == nullptr) return section.accept_every_key();  // one error is enough
    refuse_name_of_other_type(section, name, types, *factory, "input");
    InputSpec spec;
    spec.name = name;
    spec.type = std::string(factory->type());
    spec.enabled = type_written ? true : factory->shorthand_enabled();
    section.read_bool("enabled", spec.enabled);
    spec.options = factory->read_options(section);
    if (spec.enabled) factory->check_enabled(section, *spec.options);
    if (spec.enabled && factory->single_instance()) {
      if (const InputSpec* other = config.enabled_input_of_type(spec.type)) {
        section.fail("type", fmt::format("an agent has one enabled {} input; inputs.{} is one",
                                         spec.type, other->name));
      }
    }
    if (type_written || types.find(name) != nullptr) config.inputs.push_back(std::move(spec));
  });
}

// For the key catalogue: the shared keys once, as inputs.<name>.*, then each type's own keys
// as inputs.<type>.*.
void list_input_keys(YamlSection& section, const InputTypes& types) {
  section.read_section("<name>", [&](YamlSection& input) {
    std::string type;
    bool enabled = true;
    input.read_string("type", type);
    input.read_bool("enabled", enabled);
  });
  for (const InputFactory* factory : types.all()) {
    section.read_section(factory->type(),
                         [&](YamlSection& input) { factory->read_options(input); });
  }
}

void read_inputs(YamlSection& section, AgentConfig& config, const InputTypes& types) {
  if (section.cataloguing()) return list_input_keys(section, types);
  const std::vector<std::string> written = section.keys();
  for (const std::string& name : written) read_input(section, name, config, types);
  // The docker input is there unless the file declares one (or switches it off).
  for (const InputFactory* factory : types.all()) {
    const std::string shorthand(factory->type());
    const bool declared =
        std::any_of(config.inputs.begin(), config.inputs.end(),
                    [&](const InputSpec& input) { return input.type == shorthand; });
    if (factory->present_unless_written() && !declared &&
        std::find(written.begin(), written.end(), shorthand) == written.end()) {
      read_input(section, shorthand, config, types);
    }
  }
}

// sinks.<name>: the keys every sink shares, then its type's own.
void read_sink(YamlSection& sinks_section, const std::string& name, AgentConfig& config,
               const SinkTypes& types) {
  sinks_section.read_section(name, [&](YamlSection& section) {
    if (auto problem = check_component_name(name, "a sink")) section.fail("type", *problem);
    const bool type_written = section.has("type");  // else a shorthand: the name is the type
    const SinkFactory* factory = component_type_of(section, name, types, "sink");
    if (factory == nullptr) return section.accept_every_key();  // one error is enough
    SinkSpec spec;
    spec.name = name;
    spec.type = std::string(factory->type());
    if (const auto only = factory->only_name(); only && *only != name) {
      section.fail("type",
                   fmt::format("an agent has one {} sink, declared as sinks.{}", spec.type, *only));
    }
    refuse_name_of_other_type(section, name, types, *factory, "sink");
    spec.enabled = (name == spec.type && !type_written) ? factory->shorthand_enabled() : true;
    section.read_bool("enabled", spec.enabled);
    spec.delivery = sink_delivery_defaults(config);
    read_sink_delivery(section, spec.delivery, config);
    spec.options = factory->read_options(section);
    if (type_written || types.find(name) != nullptr) config.sinks.push_back(std::move(spec));
  });
}

// For the key catalogue: the shared keys once, as sinks.<name>.*, then each type's own keys
// as sinks.<type>.*.
void list_sink_keys(YamlSection& section, AgentConfig& config, const SinkTypes& types) {
  section.read_section("<name>", [&](YamlSection& sink) {
    std::string type;
    bool enabled = true;
    SinkDeliveryConfig delivery;
    sink.read_string("type", type);
    sink.read_bool("enabled", enabled);
    read_sink_delivery(sink, delivery, config);
  });
  for (const SinkFactory* factory : types.all()) {
    section.read_section(factory->type(), [&](YamlSection& sink) { factory->read_options(sink); });
  }
}

void read_sinks(YamlSection& section, AgentConfig& config, const SinkTypes& types) {
  if (section.cataloguing()) return list_sink_keys(section, config, types);
  std::vector<std::string> names;
  for (const SinkFactory* factory : types.all()) {  // the file store: there unless switched off
    if (factory->present_unless_written()) names.emplace_back(factory->type());
  }
  for (const std::string& key : section.keys()) {
    if (std::find(names.begin(), names.end(), key) == names.end()) names.push_back(key);
  }
  for (const std::string& name : names) read_sink(section, name, config, types);
}

// For the key catalogue: every type's keys, as processors[].*.
void list_processor_keys(YamlSection& item, const ProcessorTypes& types) {
  std::string ignored;
  item.read_string("type", ignored);
  item.read_string("name", ignored);
  for (const ProcessorFactory* factory : types.all()) factory->read_options(item);
}

void read_processor(YamlSection& item, std::size_t index, std::vector<ProcessorSpec>& processors,
                    const ProcessorTypes& types) {
  ProcessorSpec spec;
  item.read_string("type", spec.type);
  const ProcessorFactory* factory = nullptr;
  if (spec.type.empty()) {
    if (!item.failed("type")) item.fail("type", fmt::format("is required: {}", type_list(types)));
  } else {
    factory = find_type(item, spec.type, types, "processor");
  }
  spec.name = fmt::format("{}_{}", factory != nullptr ? spec.type : "processor", index + 1);
  item.read_string("name", spec.name, check_not_empty);
  for (const ProcessorSpec& earlier : processors) {
    if (earlier.name == spec.name) {
      item.fail("name", fmt::format("processor name {} is used twice; names label the metrics",
                                    quote_for_message(spec.name)));
    }
  }
  if (factory == nullptr) return item.accept_every_key();  // one error about the type is enough
  spec.options = factory->read_options(item);
  processors.push_back(std::move(spec));
}

void read_processors(YamlSection& root, std::vector<ProcessorSpec>& processors,
                     const ProcessorTypes& types) {
  root.read_section_list("processors", [&](YamlSection& item, std::size_t index) {
    if (item.cataloguing()) return list_processor_keys(item, types);
    read_processor(item, index, processors, types);
  });
}

std::vector<std::string> enabled_sink_names(const std::vector<SinkSpec>& sinks) {
  std::vector<std::string> names;
  for (const SinkSpec& sink : sinks) {
    if (sink.enabled) names.push_back(sink.name);
  }
  return names;
}

void read_routes(YamlSection& section, const std::vector<SinkSpec>& sinks,
                 std::vector<RouteConfig>& routes) {
  const std::vector<std::string> enabled = enabled_sink_names(sinks);
  section.read_section_list("routes", [&](YamlSection& item, std::size_t) {
    RouteConfig route;
    item.read_section("match", [&](YamlSection& s) { read_record_selector(s, route.match); });
    const auto check_sink = [&](std::string_view name) -> ValueProblem {
      if (std::find(enabled.begin(), enabled.end(), name) != enabled.end()) return std::nullopt;
      std::vector<std::string_view> names(enabled.begin(), enabled.end());
      return fmt::format(
          "{} is not an enabled sink (enabled: {})", quote_for_message(name),
          names.empty() ? std::string("none") : describe_choices(names.data(), names.size()));
    };
    item.read_string_list("sinks", route.sinks, check_sink);
    if (!item.has("sinks")) {
      item.fail("sinks", "is required: the sinks these records go to");
    } else if (route.sinks.empty() && !item.failed("sinks")) {
      item.fail("sinks", "must name at least one sink");
    }
    routes.push_back(std::move(route));
  });
}

void read_server(YamlSection& section, ServerConfig& server) {
  section.read_string("listen", server.listen, check_listen_address);
  section.read_string("metrics_listen", server.metrics_listen, check_listen_address);
  section.read_string_list("allowed_hosts", server.allowed_hosts, check_allowed_host);
  if (auto problem = check_distinct_listeners(server.listen, server.metrics_listen)) {
    section.fail("metrics_listen", *problem);
  }
}

void read_agent_config(YamlSection& root, AgentConfig& config, const ComponentTypes& types) {
  root.read_string("data_dir", config.data_dir, check_not_empty);
  root.read_string("data_dir_group", config.data_dir_group);
  root.read_choice("log_level", config.log_level, kLogLevels);
  root.read_duration("checkpoint_interval", config.checkpoint_interval);
  root.read_duration("shutdown_timeout", config.shutdown_timeout);
  root.read_section("docker", [&](YamlSection& docker) { read_docker(docker, config.docker); });
  root.read_section("inputs",
                    [&](YamlSection& inputs) { read_inputs(inputs, config, types.inputs); });
  for (const InputSpec& input : config.inputs) root.declare_input(input.name);
  root.read_section("pipeline",
                    [&](YamlSection& pipeline) { read_pipeline(pipeline, config.pipeline); });
  read_processors(root, config.processors, types.processors);
  // Before the sinks: their batch, retry and dead_letters keys default to these.
  root.read_section("dead_letters", [&](YamlSection& dead_letters) {
    read_dead_letters(dead_letters, config.dead_letters);
  });
  root.read_section("sinks", [&](YamlSection& sinks) { read_sinks(sinks, config, types.sinks); });
  read_routes(root, config.sinks, config.routes);
  root.read_section("server", [&](YamlSection& server) { read_server(server, config.server); });
}

// yaml-cpp 0.7 loops forever, allocating hundreds of MiB a second, on a document whose first
// token is ',' (found by fuzzing: ",!a:"), and likewise ']' or '}'. No valid YAML starts a
// node with those, so refuse them here, with their place, before the parser sees them.
void reject_document_starting_with_flow_closer(const std::string& text,
                                               const std::string& source_name) {
  bool at_document_start = true;
  std::size_t line_number = 0;
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    if (line_end == std::string::npos) line_end = text.size();
    const std::string_view line(text.data() + line_start, line_end - line_start);
    ++line_number;
    line_start = line_end + 1;
    std::size_t pos = 0;
    if (line.starts_with("---")) {
      at_document_start = true;
      pos = 3;
    } else if (!at_document_start || line.starts_with('%')) {
      continue;
    }
    for (;;) {  // blanks, tags and anchors before the node itself
      while (pos < line.size() && (line[pos] == ' ' || line[pos] == '\t')) ++pos;
      if (pos >= line.size() || (line[pos] != '!' && line[pos] != '&')) break;
      // A tag or anchor name ends at a blank or a flow indicator (YAML's ns-anchor-char).
      while (pos < line.size() &&
             std::string_view(" \t,[]{}").find(line[pos]) == std::string_view::npos)
        ++pos;
    }
    if (pos >= line.size() || line[pos] == '#' || line[pos] == '\r') continue;
    if (line[pos] == ',' || line[pos] == ']' || line[pos] == '}') {
      throw ConfigError(fmt::format("{}:{}:{}: invalid YAML: a document cannot start with '{}'",
                                    source_name, line_number, pos + 1, line[pos]));
    }
    at_document_start = false;
  }
}

// YAML allows no C0 control characters but tab, LF and CR (and yaml-cpp mistakes some for
// separators, which defeats the check above).
void reject_control_characters(const std::string& text, const std::string& source_name) {
  std::size_t line = 1, column = 1;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      throw ConfigError(fmt::format("{}:{}:{}: invalid YAML: control character U+{:04X}",
                                    source_name, line, column, byte));
    }
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
}

// The checks above catch the shapes known to hang yaml-cpp with a precise message; the guard
// catches the rest (config/yaml_parse_guard.hpp).
void reject_text_the_parser_hangs_on(const std::string& text, const std::string& source_name) {
  if (check_yaml_parser_finishes(text) != YamlParseCheck::does_not_finish) return;
  throw ConfigError(fmt::format(
      "{}: invalid YAML: the YAML parser (yaml-cpp) does not finish on this file; look for a "
      "node starting with ',', ']' or '}}', or other stray flow indicators",
      source_name));
}

YAML::Node parse_single_document(const std::string& text, const std::string& source_name) {
  reject_control_characters(text, source_name);
  reject_document_starting_with_flow_closer(text, source_name);
  reject_text_the_parser_hangs_on(text, source_name);
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

AgentConfig parse_config_text(std::string_view yaml_text, const std::string& source_name,
                              const ComponentTypes& types) {
  const YAML::Node root = parse_single_document(std::string(yaml_text), source_name);
  ConfigDiagnostics diagnostics(source_name);
  expand_environment_in_values(root, diagnostics);
  diagnostics.throw_if_any();  // an unexpanded reference would only cause follow-up errors
  AgentConfig config;
  YamlSection section(root, "", ConfigLocation{1, 1}, diagnostics);
  read_agent_config(section, config, types);
  section.finish();
  diagnostics.throw_if_any();
  return config;
}

AgentConfig default_config() { return parse_config_text("", "<defaults>"); }

std::string read_config_file(const std::string& path) {
  std::error_code ignored;
  if (std::filesystem::is_directory(path, ignored)) {
    throw ConfigError(fmt::format("{}: cannot read the configuration: it is a directory", path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    throw ConfigError(
        fmt::format("{}: cannot read the configuration: {}", path, std::strerror(errno)));
  }
  // Read a piece at a time, at most one byte past the limit (enough to know the file is too
  // large): a buffer of the limit's size would be 4 MiB of memory touched for a 1 KiB file.
  std::string text;
  char piece[16 * 1024];
  while (text.size() <= kMaxConfigFileBytes && file) {
    const std::size_t want = std::min(sizeof(piece), kMaxConfigFileBytes + 1 - text.size());
    file.read(piece, static_cast<std::streamsize>(want));
    text.append(piece, static_cast<std::size_t>(file.gcount()));
  }
  if (file.bad()) {
    throw ConfigError(fmt::format("{}: cannot read the configuration: read error", path));
  }
  if (text.size() > kMaxConfigFileBytes) {
    throw ConfigError(fmt::format("{}: the configuration is larger than {}; is it the right file?",
                                  path, format_byte_size(kMaxConfigFileBytes)));
  }
  return text;
}

AgentConfig load_config_file(const std::string& path, const ComponentTypes& types) {
  return parse_config_text(read_config_file(path), path, types);
}

std::vector<std::string> config_key_paths(const ComponentTypes& types) {
  std::vector<std::string> paths;
  ConfigDiagnostics diagnostics("<catalog>");
  AgentConfig config;
  YamlSection section(YAML::Node(), "", ConfigLocation{}, diagnostics, &paths);
  read_agent_config(section, config, types);
  return paths;
}

}  // namespace lc
