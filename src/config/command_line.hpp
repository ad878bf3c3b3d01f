#pragma once

#include <optional>
#include <ostream>
#include <string>

#include "config/agent_config.hpp"
#include "config/config_error.hpp"

namespace lc {

struct CommandLine {
  std::string config_file;    // --config FILE (or $LOG_CAPTURER_CONFIG)
  bool check_config = false;  // --check-config: load and validate, then exit 0 or 2
  // Overrides applied on top of the config file.
  std::optional<std::string> data_dir;        // --data-dir DIR
  std::optional<std::string> listen;          // --listen ADDR (server.listen)
  std::optional<std::string> metrics_listen;  // --metrics-listen ADDR (server.metrics_listen)
  std::optional<std::string> log_level;       // --log-level LEVEL
  std::optional<std::string> docker_host;     // --docker-host URL (docker.host)
};

// Exit codes: 0 success, 2 usage or configuration error.
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 2;

// Parses argv into `out`. Returns the exit code to use now, or nullopt to run the agent:
// --help and --version print to `out_stream` and return 0; a usage error prints to
// `err_stream` and returns 2; --check-config runs check_configuration() and returns its code.
std::optional<int> parse_command_line(int argc, char** argv, CommandLine& out,
                                      std::ostream& out_stream, std::ostream& err_stream);

// Loads config_file (if any), then applies the command-line overrides. Throws ConfigError.
// `file_text`, when given, receives the file's bytes as parsed (empty without a file).
AgentConfig resolve_config(const CommandLine& command_line, std::string* file_text = nullptr);

// Resolves the config: prints "configuration OK" to `out_stream` and returns 0, or prints the
// error to `err_stream` and returns 2.
int check_configuration(const CommandLine& command_line, std::ostream& out_stream,
                        std::ostream& err_stream);

}  // namespace lc
