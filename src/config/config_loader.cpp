#include "config/config_loader.hpp"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "config/byte_size_text.hpp"
#include "config/config_value_checks.hpp"
#include "config/duration_text.hpp"
#include "config/edit_distance.hpp"
#include "config/environment_expansion.hpp"
#include "config/file_fingerprint.hpp"
#include "config/record_selector_reader.hpp"
#include "config/sink_delivery_reader.hpp"
#include "config/tls_client_reader.hpp"
#include "config/yaml_parse_guard.hpp"
#include "config/yaml_section.hpp"
#include "processors/container_hints/container_hints_options.hpp"

namespace lc {
namespace {

// One small function per section: a new input, processor or sink adds its own reader and one
// read_section() line in its parent, and nothing else changes.

std::string show_count(std::uint32_t value) { return std::to_string(value); }

void read_docker(YamlSection& section, DockerConfig& docker) {
  section.read_string({"host",
                       "Engine address: `unix:///path/to/docker.sock` or `tcp://host[:port]`. "
                       "Empty: `$DOCKER_HOST`, else `unix:///var/run/docker.sock`."},
                      docker.host, check_docker_host);
  section.read_bool(
      {"tls", "Use TLS (tcp only). Also switched on by `DOCKER_TLS_VERIFY` or `DOCKER_CERT_PATH`."},
      docker.tls);
  section.read_string(
      {"cert_path",
       "Directory holding `ca.pem`, `cert.pem` and `key.pem`. Empty: `$DOCKER_CERT_PATH`."},
      docker.cert_path);
  read_tls_client_options(section, docker.tls_client);
  // The certificate directory's files count too (a reload after they are renewed reconnects).
  const char* env_cert_path = std::getenv("DOCKER_CERT_PATH");
  const std::string cert_dir =
      !docker.cert_path.empty() ? docker.cert_path : (env_cert_path ? env_cert_path : "");
  if (!cert_dir.empty()) {
    docker.tls_client.files_fingerprint ^=
        fingerprint_files({cert_dir + "/ca.pem", cert_dir + "/cert.pem", cert_dir + "/key.pem"});
  }
  section.read_string(
      {"api_version",
       "Engine API version such as `\"1.41\"` (quote it). Empty: negotiated with `GET /version`."},
      docker.api_version, check_api_version);
  section.read_count({"max_idle_connections",
                      "Keep-alive connections kept open for request/response calls (list, inspect, "
                      "version). 0 closes each after use. Follow streams are not pooled."},
                     docker.max_idle_connections, 0);
  section.read_count({"max_connections", "Upper bound on concurrent request/response connections."},
                     docker.max_connections);
  section.read_duration({"idle_timeout", "An idle pooled connection is closed after this long."},
                        docker.idle_timeout);
  section.read_duration({"connect_timeout", "Time allowed to connect to the engine."},
                        docker.connect_timeout);
  section.read_duration(
      {"request_timeout", "Time allowed for one request/response call (not for follow streams)."},
      docker.request_timeout);
  section.read_duration(
      {"reconnect_backoff_initial",
       "First delay before reconnecting the events stream or an unreachable engine, and before "
       "inspecting again a started container whose inspect failed; doubles with jitter..."},
      docker.reconnect_backoff_initial);
  section.read_duration({"reconnect_backoff_max", "...up to this delay."},
                        docker.reconnect_backoff_max);
  section.require_not_above("max_idle_connections", docker.max_idle_connections, "max_connections",
                            docker.max_connections, show_count);
  section.require_not_above("reconnect_backoff_initial", docker.reconnect_backoff_initial,
                            "reconnect_backoff_max", docker.reconnect_backoff_max, format_duration);
}

void read_dead_letters(YamlSection& section, DeadLetterConfig& dead_letters) {
  section.read_bool(
      {"enabled",
       "Keep records a sink refuses permanently (Loki's 400 \"entry out of order\", a record too "
       "large, or `pipeline.retry_limit` exhausted), with the sink's name and reason. The API "
       "lists them (`GET /dlq/stats`, `GET /dlq/entries`) and sends them again (`POST "
       "/dlq/reprocess`). Disabled: they are counted and logged only."},
      dead_letters.enabled);
  section.read_string({"directory", "Empty: `<data_dir>/dead_letters`."}, dead_letters.directory);
  section.read_byte_size({"max_bytes",
                          "Bound on disk; beyond it the oldest dead letters are removed (counted "
                          "in `log_capturer_dead_letters_dropped_total`): the one place where the "
                          "agent drops data, and only under this bound."},
                         dead_letters.max_bytes, 1024 * 1024);
}

void read_pipeline(YamlSection& section, PipelineConfig& pipeline) {
  section.read_byte_size({"memory_limit_bytes",
                          "Bound on records held in memory. When reached, inputs stop reading "
                          "(back-pressure) instead of growing."},
                         pipeline.memory_limit_bytes);
  section.read_byte_size(
      {"read_ahead_bytes",
       "Inputs that can read their lines again from disk (container json-files, `inputs.files`) "
       "stop reading while the pipeline holds this much (at most `memory_limit_bytes`): their "
       "lines wait in the file, not in memory. The rest of the bound is for API streams, which "
       "cannot pause as cheaply."},
      pipeline.read_ahead_bytes, 64 * 1024);
  section.read_count({"batch_max_records",
                      "A batch is sent to a sink when it holds this many records... (the default "
                      "of every sink's `batch.max_records`)"},
                     pipeline.batch_max_records);
  section.read_byte_size({"batch_max_bytes", "...or this many bytes... (`batch.max_bytes`)"},
                         pipeline.batch_max_bytes);
  section.read_duration(
      {"flush_interval",
       "...or when its oldest record has waited this long... (`batch.flush_interval`)"},
      pipeline.flush_interval);
  section.read_bool(
      {"flush_on_idle",
       "...or, when true, as soon as the inputs have nothing more to submit for now (they read "
       "everything there was): at light load a line reaches the sinks within milliseconds instead "
       "of waiting out `flush_interval`. Under load batches still fill by count and bytes."},
      pipeline.flush_on_idle);
  section.read_duration({"retry_initial",
                         "First delay before a failed batch is retried; doubles with jitter... "
                         "(the default of every sink's `retry.initial`)"},
                        pipeline.retry_initial);
  section.read_duration({"retry_max", "...up to this delay (`retry.max`)."}, pipeline.retry_max);
  section.read_count(
      {"retry_limit",
       "Attempts at a batch a sink keeps failing transiently (connection refused, timeouts, 429, "
       "5xx) before its records go to the dead letters; `0` retries forever, so an outage never "
       "loses records. Answers that say nothing about the records (a 404, refused credentials: see "
       "the Loki sink's hold) never exhaust it. The default of every sink's `retry.limit`."},
      pipeline.retry_limit, 0);
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

// For the key catalogue: `type`, one of the table's names.
template <typename Factory>
void list_type_key(YamlSection& section, const TypeTable<Factory>& types, std::string_view kind,
                   std::string_view rule) {
  const std::vector<std::string> names = types.names();
  const std::vector<std::string_view> choices(names.begin(), names.end());
  const std::string about = fmt::format(
      "The {} type: {}. {}", kind, describe_choices(choices.data(), choices.size(), '`'), rule);
  std::string type;
  section.read_choice(ConfigKey("type", about, "required"), type, choices);
}

// For the key catalogue: the shared keys once, as inputs.<name>.*, then each type's own keys
// as inputs.<type>.*.
void list_input_keys(YamlSection& section, const InputTypes& types) {
  section.read_section("<name>", [&](YamlSection& input) {
    list_type_key(input, types, "input", "Required unless the name is the type.");
    bool enabled = true;
    input.read_bool({"enabled",
                     "`false` keeps the input's settings without running it (`inputs.files` "
                     "defaults to `false`)."},
                    enabled);
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
    list_type_key(sink, types, "sink", "Required unless the name is the type.");
    bool enabled = true;
    SinkDeliveryConfig delivery = sink_delivery_defaults(config);
    sink.read_bool({"enabled",
                    "`false` keeps the sink's settings without running it (`sinks.loki` defaults "
                    "to `false`)."},
                   enabled);
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

// processors[].when: the records a processor applies to; every processor type has it.
void read_processor_when(YamlSection& item, std::optional<RecordSelectorConfig>& when) {
  const bool written = item.has("when");
  RecordSelectorConfig selector;
  item.read_section("when", [&](YamlSection& section) { read_record_selector(section, selector); });
  if (!written) return;
  if (selector.empty() && !item.cataloguing() && !item.failed("when")) {
    item.fail("when", "selects every record: set at least one key, or remove when");
  }
  when = std::move(selector);
}

// For the key catalogue: every type's keys, as processors[].*.
void list_processor_keys(YamlSection& item, const ProcessorTypes& types) {
  list_type_key(item, types, "processor", "Each type's own keys follow.");
  std::string ignored;
  item.read_string({"name",
                    "Unique name for the metrics and log lines. Absent: `<type>_<position from "
                    "1>`, e.g. `filter_2`.",
                    "<type>_<n>"},
                   ignored);
  std::optional<RecordSelectorConfig> when;
  read_processor_when(item, when);
  for (const ProcessorFactory* factory : types.all()) {
    item.set_catalogue_owner(std::string(factory->type()));
    factory->read_options(item);
  }
  item.set_catalogue_owner("");
}

// A processor the inputs run (multiline) sees lines before they are records: it comes first,
// and its `when` can only choose by where the lines come from.
void check_input_stage(YamlSection& item, const ProcessorSpec& spec,
                       const std::vector<ProcessorSpec>& earlier) {
  if (spec.when && (!spec.when->message.empty() || !spec.when->fields.empty())) {
    item.fail("when", fmt::format("{} joins lines before they are records: its when: may use "
                                  "sources, streams, container_names, images, labels and files, "
                                  "not message or fields",
                                  spec.type));
  }
  for (const ProcessorSpec& before : earlier) {
    if (before.type == spec.type) continue;
    item.fail("type", fmt::format("{} runs in the inputs, before every other processor: list it "
                                  "before {}",
                                  spec.type, quote_for_message(before.name)));
    return;
  }
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
  read_processor_when(item, spec.when);
  if (factory->runs_in_inputs()) check_input_stage(item, spec, processors);
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

// The container_hints processor, first, unless the list has one (or a processor of its name).
void add_container_hints(std::vector<ProcessorSpec>& processors) {
  if (std::any_of(processors.begin(), processors.end(), [](const ProcessorSpec& spec) {
        return spec.type == "container_hints" || spec.name == "container_hints";
      })) {
    return;
  }
  ProcessorSpec hints;
  hints.name = "container_hints";
  hints.type = "container_hints";
  hints.options = std::make_shared<ContainerHintsOptions>();
  processors.insert(processors.begin(), std::move(hints));
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
    item.read_string_list(
        {"sinks",
         "At least one. Names of enabled sinks: the types' own names (`file_store`, "
         "`loki`, ...) or a named sink's name. A name that is not an enabled sink is an error.",
         "required"},
        route.sinks, check_sink);
    if (!item.has("sinks")) {
      item.fail("sinks", "is required: the sinks these records go to");
    } else if (route.sinks.empty() && !item.failed("sinks")) {
      item.fail("sinks", "must name at least one sink");
    }
    routes.push_back(std::move(route));
  });
}

void read_server(YamlSection& section, ServerConfig& server) {
  section.read_string({"listen", "HTTP API (health, status). `\"\"` disables it."}, server.listen,
                      check_listen_address);
  section.read_string({"metrics_listen", "Prometheus `/metrics`. `\"\"` disables it."},
                      server.metrics_listen, check_listen_address);
  section.read_string_list(
      {"allowed_hosts",
       "Host names or addresses (no port; IPv6 in brackets) the API answers to besides loopback "
       "(`localhost`, `127.0.0.0/8`, `[::1]`). A request with another `Host` gets 421, one with an "
       "`Origin` whose host is not one of these 403 (DNS rebinding, cross-site pages). Not applied "
       "to `metrics_listen`."},
      server.allowed_hosts, check_allowed_host);
  if (auto problem = check_distinct_listeners(server.listen, server.metrics_listen)) {
    section.fail("metrics_listen", *problem);
  }
}

void read_config_watch(YamlSection& section, ConfigWatchConfig& watch) {
  section.read_bool(
      {"watch",
       "Reload when the configuration file changes, as `SIGHUP` does. The file (through "
       "symbolic links: a Kubernetes ConfigMap's swap counts) is looked at every "
       "`watch_interval`; once a change has stayed the same for one interval (an editor's "
       "half-written file is not read), content that differs from the running configuration's "
       "is reloaded. A file that fails to load is tried again when it changes again."},
      watch.watch);
  section.read_duration({"watch_interval", "How often `watch` looks at the file."},
                        watch.watch_interval, Duration{100});
}

void read_agent_config(YamlSection& root, AgentConfig& config, const ComponentTypes& types) {
  root.read_string({"data_dir",
                    "Directory for checkpoints and, unless `sinks.file_store.directory` is set, "
                    "the file store. Must not be empty."},
                   config.data_dir, check_not_empty);
  root.read_string(
      {"data_dir_group",
       "A group (name or number) whose members may read what the agent writes (every container's "
       "output): files 0640, directories 2750 in that group. Empty: the agent's user only, files "
       "0600, directories 0700. Existing files under the data, store, buffer and dead-letter "
       "directories are narrowed to this at start-up."},
      config.data_dir_group);
  root.read_choice(
      {"log_level", "The agent's own log verbosity: `trace`, `debug`, `info`, `warn` or `error`."},
      config.log_level, kLogLevels);
  root.read_duration({"checkpoint_interval",
                      "How often acknowledged source positions are written to disk. Shorter: fewer "
                      "duplicates after a crash; longer: fewer writes."},
                     config.checkpoint_interval);
  root.read_duration(
      {"shutdown_timeout",
       "On SIGTERM, how long in-flight records may drain to the sinks before the agent exits "
       "anyway (what is not acknowledged is re-read on the next start)."},
      config.shutdown_timeout);
  root.read_section("docker", [&](YamlSection& docker) { read_docker(docker, config.docker); });
  root.read_section("inputs",
                    [&](YamlSection& inputs) { read_inputs(inputs, config, types.inputs); });
  for (const InputSpec& input : config.inputs) root.declare_input(input.name);
  root.read_section("pipeline",
                    [&](YamlSection& pipeline) { read_pipeline(pipeline, config.pipeline); });
  root.read_bool({"container_hints",
                  "Containers' labels `io.log-capturer.exclude: \"true\"` and "
                  "`io.log-capturer.parser` (json, logfmt, syslog or a parse_regex preset) apply "
                  "to their own records (a `container_hints` processor first in the list); `false` "
                  "ignores them."},
                 config.container_hints);
  read_processors(root, config.processors, types.processors);
  if (config.container_hints && !root.cataloguing()) add_container_hints(config.processors);
  // Before the sinks: their batch, retry and dead_letters keys default to these.
  root.read_section("dead_letters", [&](YamlSection& dead_letters) {
    read_dead_letters(dead_letters, config.dead_letters);
  });
  root.read_section("sinks", [&](YamlSection& sinks) { read_sinks(sinks, config, types.sinks); });
  read_routes(root, config.sinks, config.routes);
  root.read_section("server", [&](YamlSection& server) { read_server(server, config.server); });
  root.read_section("config",
                    [&](YamlSection& watch) { read_config_watch(watch, config.config_watch); });
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

std::vector<KeySchema> config_schema(const ComponentTypes& types) {
  std::vector<KeySchema> schema;
  ConfigDiagnostics diagnostics("<catalog>");
  AgentConfig config;
  YamlSection section(YAML::Node(), "", ConfigLocation{}, diagnostics, &schema);
  read_agent_config(section, config, types);
  // Keys several types share (a parser's source, target...) are read once per type: listed once;
  // one name with other meanings (throttle's rate, sample's rate) lists each, by type.
  std::vector<KeySchema> unique;
  std::vector<std::string> merged;  // paths whose meaning is told per type
  for (KeySchema& key : schema) {
    auto seen = std::find_if(unique.begin(), unique.end(),
                             [&](const KeySchema& other) { return other.path == key.path; });
    if (seen == unique.end()) {
      unique.push_back(std::move(key));
    } else if (seen->about.find(key.about) == std::string::npos) {
      if (std::find(merged.begin(), merged.end(), key.path) == merged.end()) {
        merged.push_back(key.path);
        seen->about = fmt::format("`{}`: {}", seen->owner, seen->about);
        seen->default_value = fmt::format("{}: {}", seen->owner, seen->default_value);
      }
      seen->about += fmt::format(" `{}`: {}", key.owner, key.about);
      if (seen->type.find(key.type) == std::string::npos) seen->type += " or " + key.type;
      seen->default_value += fmt::format("; {}: {}", key.owner, key.default_value);
    }
  }
  return unique;
}

std::vector<std::string> config_key_paths(const ComponentTypes& types) {
  std::vector<std::string> paths;
  for (KeySchema& key : config_schema(types)) paths.push_back(std::move(key.path));
  return paths;
}

}  // namespace lc
