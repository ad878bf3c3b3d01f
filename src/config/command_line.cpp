#include "config/command_line.hpp"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <cstdlib>

#include "config/config_diagnostics.hpp"
#include "config/config_loader.hpp"
#include "config/config_reference.hpp"
#include "config/config_value_checks.hpp"
#include "config/version.hpp"
#include "sinks/sink_directories.hpp"

namespace lc {
namespace {

using ValueCheck = ValueProblem (*)(std::string_view);

// Adapts a ValueCheck to CLI11, which treats an empty string as "valid".
std::function<std::string(const std::string&)> cli_check(ValueCheck check) {
  return [check](const std::string& value) { return check(value).value_or(std::string()); };
}

// Adds "--name VALUE" storing into an optional override, validated like the YAML key.
void add_override(CLI::App& app, const std::string& name, std::optional<std::string>& target,
                  const std::string& type_name, const std::string& description, ValueCheck check) {
  app.add_option_function<std::string>(
         name, [&target](const std::string& value) { target = value; }, description)
      ->type_name(type_name)
      ->check(cli_check(check));
}

void apply_override(const std::optional<std::string>& value, std::string_view flag,
                    ValueCheck check, std::string& field, ConfigDiagnostics& diagnostics) {
  if (!value) return;
  if (auto problem = check(*value)) return diagnostics.add(ConfigLocation{}, flag, *problem);
  field = *value;
}

}  // namespace

std::optional<int> parse_command_line(int argc, char** argv, CommandLine& out,
                                      std::ostream& out_stream, std::ostream& err_stream) {
  CLI::App app{"Follows the logs of every Docker container and delivers them to sinks.",
               "log-capturer"};
  app.footer(
      "Configuration reference: docs/configuration.md. Exit codes: 0 ok, 2 usage or "
      "configuration error.");
  app.set_version_flag("--version", fmt::format("log-capturer {}", agent_version()),
                       "Print the version and exit");
  app.add_option("-c,--config", out.config_file, "YAML configuration file (default: built-in)")
      ->type_name("FILE")
      ->envname("LOG_CAPTURER_CONFIG");
  app.add_flag("--check-config", out.check_config,
               "Load and validate the configuration, print the result, exit 0 (ok) or 2");
  bool print_reference = false;
  app.add_flag("--print-config-reference", print_reference,
               "Print every configuration key with its type, default and meaning (Markdown), "
               "exit 0");
  add_override(app, "--data-dir", out.data_dir, "DIR",
               "Directory for checkpoints and the file store (overrides data_dir)",
               check_not_empty);
  add_override(app, "--listen", out.listen, "HOST:PORT",
               "HTTP API address, \"\" disables (overrides server.listen)", check_listen_address);
  add_override(app, "--metrics-listen", out.metrics_listen, "HOST:PORT",
               "Prometheus /metrics address, \"\" disables (overrides server.metrics_listen)",
               check_listen_address);
  add_override(app, "--log-level", out.log_level, "LEVEL",
               "trace, debug, info, warn or error (overrides log_level)", check_log_level);
  add_override(app, "--docker-host", out.docker_host, "URL",
               "Docker engine, unix:///path or tcp://host:port (overrides docker.host)",
               check_docker_host);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    const int code = app.exit(error, out_stream, err_stream);
    return code == 0 ? kExitOk : kExitUsage;
  }
  if (print_reference) {
    out_stream << config_reference_table(config_schema());
    return kExitOk;
  }
  if (out.check_config) return check_configuration(out, out_stream, err_stream);
  return std::nullopt;
}

AgentConfig resolve_config(const CommandLine& command_line, std::string* file_text) {
  std::string text;
  if (!command_line.config_file.empty()) text = read_config_file(command_line.config_file);
  AgentConfig config = command_line.config_file.empty()
                           ? default_config()
                           : parse_config_text(text, command_line.config_file);
  if (file_text != nullptr) *file_text = std::move(text);
  ConfigDiagnostics diagnostics("command line");
  apply_override(command_line.data_dir, "--data-dir", check_not_empty, config.data_dir,
                 diagnostics);
  apply_override(command_line.listen, "--listen", check_listen_address, config.server.listen,
                 diagnostics);
  apply_override(command_line.metrics_listen, "--metrics-listen", check_listen_address,
                 config.server.metrics_listen, diagnostics);
  apply_override(command_line.log_level, "--log-level", check_log_level, config.log_level,
                 diagnostics);
  apply_override(command_line.docker_host, "--docker-host", check_docker_host, config.docker.host,
                 diagnostics);
  // DOCKER_HOST is read only when neither the config nor --docker-host names the engine: a
  // bad value is a setting error like a bad docker.host (exit 2), not a failure at start.
  if (config.docker.host.empty() && config.enabled_input_of_type("docker") != nullptr) {
    if (const char* env_host = std::getenv("DOCKER_HOST"); env_host != nullptr && *env_host) {
      if (auto problem = check_docker_host(env_host)) {
        diagnostics.add(ConfigLocation{}, "DOCKER_HOST (environment)", *problem);
      }
    }
  }
  if (command_line.listen || command_line.metrics_listen) {
    if (auto problem =
            check_distinct_listeners(config.server.listen, config.server.metrics_listen)) {
      diagnostics.add(ConfigLocation{},
                      command_line.metrics_listen ? "--metrics-listen" : "--listen", *problem);
    }
  }
  diagnostics.throw_if_any();
  if (auto problem = shared_sink_directory(config)) {  // after --data-dir: it moves them
    ConfigDiagnostics sinks(command_line.config_file.empty() ? "defaults"
                                                             : command_line.config_file);
    sinks.add(ConfigLocation{}, "sinks", *problem);
    sinks.throw_if_any();
  }
  return config;
}

int check_configuration(const CommandLine& command_line, std::ostream& out_stream,
                        std::ostream& err_stream) {
  try {
    resolve_config(command_line);
  } catch (const ConfigError& error) {
    err_stream << error.what() << '\n';
    return kExitUsage;
  }
  out_stream << "configuration OK\n";
  return kExitOk;
}

}  // namespace lc
