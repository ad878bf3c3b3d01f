// log-capturer: follows the logs of every container on a Docker host and delivers them,
// losing nothing, to the local file store (see README.md and docs/).
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "app/agent.hpp"
#include "config/command_line.hpp"
#include "config/config_loader.hpp"
#include "config/yaml_parse_guard.hpp"

int main(int argc, char** argv) {
  std::signal(SIGPIPE, SIG_IGN);  // a peer closing a socket is an error code, not a death
  std::signal(SIGXFSZ, SIG_IGN);  // a file-size limit is a write error the store retries
  lc::start_yaml_parse_guard();   // before any thread of ours: reloads parse later
  lc::CommandLine command_line;
  if (auto exit_code = lc::parse_command_line(argc, argv, command_line, std::cout, std::cerr)) {
    return *exit_code;
  }
  // Read at start and at each reload (SIGHUP, POST /api/v1/reload).
  const lc::ConfigSource load = [command_line] {
    std::string text;
    lc::AgentConfig config = lc::resolve_config(command_line, &text);
    return lc::LoadedConfig{std::move(config),
                            command_line.config_file.empty() ? "" : lc::hash_config_text(text)};
  };
  lc::LoadedConfig config;
  try {
    config = load();
  } catch (const lc::ConfigError& e) {
    std::cerr << e.what() << '\n';  // one "file:line:col: key: problem" per line
    return 2;
  }
  auto logger = spdlog::stderr_color_mt("log-capturer");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
  spdlog::set_level(spdlog::level::from_str(config.config.log_level));
  return lc::Agent(std::move(config), load, command_line.config_file).run();
}
