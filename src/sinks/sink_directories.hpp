#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "sinks/all_sinks.hpp"

namespace lc {

// Every directory the enabled sinks write to: each sink's own (the file store), the disk
// buffers, the dead letters.
std::vector<SinkDirectory> sink_directories(const AgentConfig& config,
                                            const SinkTypes& types = built_in_sink_types());

// "<what> and <what> would share the directory <path>: ..." for the first two that do: two disk
// buffers in one directory would replay each other's records into the wrong sink.
std::optional<std::string> shared_sink_directory(const AgentConfig& config,
                                                 const SinkTypes& types = built_in_sink_types());

// <data_dir>/buffers/<sink name> unless the buffer says where.
std::string disk_buffer_directory(const AgentConfig& config, const SinkSpec& sink);
// <data_dir>/dead_letters unless dead_letters.directory says where.
std::string dead_letter_directory(const AgentConfig& config);

}  // namespace lc
