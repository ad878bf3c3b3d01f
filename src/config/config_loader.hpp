#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "config/agent_config.hpp"
#include "config/config_error.hpp"
#include "config/config_key.hpp"
#include "inputs/all_inputs.hpp"
#include "processors/all_processors.hpp"
#include "sinks/all_sinks.hpp"

namespace lc {

// Parses a YAML config (environment references expanded in its values) into a validated
// AgentConfig.
// Every problem is reported, one per line, as "source:line:column: full.key: message", e.g.
// "cfg.yaml:12:3: pipeline.memory_limit_bytes: expected a size like 64MiB, got 'lots'".
// The component types a configuration may name: this build's tables (tests add their own).
struct ComponentTypes {
  const SinkTypes& sinks = built_in_sink_types();
  const ProcessorTypes& processors = built_in_processor_types();
  const InputTypes& inputs = built_in_input_types();
};

AgentConfig parse_config_text(std::string_view yaml_text, const std::string& source_name,
                              const ComponentTypes& types = {});

// Reads `path` whole; an unreadable or oversized file throws ConfigError.
std::string read_config_file(const std::string& path);
// Reads and parses `path`; an unreadable, oversized or invalid file throws ConfigError.
AgentConfig load_config_file(const std::string& path, const ComponentTypes& types = {});

// The configuration without a file: every default (the file store its one sink).
AgentConfig default_config();

// Every key the loader understands, in reading order, with its type, default and meaning, read
// off the readers themselves (a dry read of no file): `log-capturer config schema` prints it and
// tests compare it with docs/configuration.md.
std::vector<KeySchema> config_schema(const ComponentTypes& types = {});
// The same keys' full dotted paths ("data_dir", ..., "inputs.docker.filter.include_names", ...).
std::vector<std::string> config_key_paths(const ComponentTypes& types = {});

// A config file is small; anything larger is almost certainly the wrong file.
inline constexpr std::uint64_t kMaxConfigFileBytes = 4ull * 1024 * 1024;

}  // namespace lc
