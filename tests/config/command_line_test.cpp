#include "config/command_line.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "config/config_loader.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

// Runs parse_command_line on `arguments` (program name added) and keeps what it printed.
struct ParseResult {
  std::optional<int> exit_code;
  CommandLine command_line;
  std::string out;
  std::string err;
};

ParseResult parse(std::vector<std::string> arguments) {
  arguments.insert(arguments.begin(), "log-capturer");
  std::vector<char*> argv;
  for (auto& argument : arguments) argv.push_back(argument.data());
  argv.push_back(nullptr);
  std::ostringstream out;
  std::ostringstream err;
  ParseResult result;
  result.exit_code = parse_command_line(static_cast<int>(arguments.size()), argv.data(),
                                        result.command_line, out, err);
  result.out = out.str();
  result.err = err.str();
  return result;
}

class CommandLineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ::unsetenv("LOG_CAPTURER_CONFIG");
    directory_ = std::filesystem::temp_directory_path() /
                 ("lc_command_line_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(directory_);
  }
  void TearDown() override {
    std::filesystem::remove_all(directory_);
    ::unsetenv("LOG_CAPTURER_CONFIG");
  }
  std::string write(const std::string& name, const std::string& text) {
    const auto path = directory_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  }
  std::filesystem::path directory_;
};

TEST_F(CommandLineTest, NoArgumentsRunsWithDefaults) {
  const ParseResult result = parse({});
  EXPECT_FALSE(result.exit_code.has_value());
  EXPECT_EQ(result.command_line.config_file, "");
  EXPECT_FALSE(result.command_line.check_config);
  EXPECT_FALSE(result.command_line.listen.has_value());
  const AgentConfig config = resolve_config(result.command_line);
  EXPECT_EQ(config.server.listen, "127.0.0.1:8401");
  EXPECT_EQ(config.data_dir, "./data");
}

TEST_F(CommandLineTest, ParsesEveryOption) {
  const ParseResult result =
      parse({"--config", "/etc/lc.yaml", "--data-dir", "/d", "--listen", "0.0.0.0:1",
             "--metrics-listen", "", "--log-level", "trace", "--docker-host", "tcp://h:2375"});
  ASSERT_FALSE(result.exit_code.has_value()) << result.err;
  const CommandLine& command_line = result.command_line;
  EXPECT_EQ(command_line.config_file, "/etc/lc.yaml");
  EXPECT_EQ(command_line.data_dir, "/d");
  EXPECT_EQ(command_line.listen, "0.0.0.0:1");
  EXPECT_EQ(command_line.metrics_listen, "");
  EXPECT_EQ(command_line.log_level, "trace");
  EXPECT_EQ(command_line.docker_host, "tcp://h:2375");
  EXPECT_EQ(parse({"-c", "x.yaml"}).command_line.config_file, "x.yaml");
  EXPECT_EQ(parse({"--config=y.yaml"}).command_line.config_file, "y.yaml");
}

TEST_F(CommandLineTest, ConfigFileFromEnvironment) {
  ::setenv("LOG_CAPTURER_CONFIG", "/from/env.yaml", 1);
  EXPECT_EQ(parse({}).command_line.config_file, "/from/env.yaml");
  EXPECT_EQ(parse({"--config", "/flag.yaml"}).command_line.config_file, "/flag.yaml");
}

TEST_F(CommandLineTest, OverridesWinOverTheFile) {
  const std::string file = write("lc.yaml",
                                 "data_dir: /file\nlog_level: debug\ndocker:\n  host: "
                                 "unix:///file.sock\n  max_connections: 6\nserver:\n  listen: "
                                 "127.0.0.1:1\n  metrics_listen: 127.0.0.1:2\n");
  const ParseResult result =
      parse({"--config", file, "--data-dir", "/flag", "--listen", "127.0.0.1:5", "--log-level",
             "error", "--docker-host", "unix:///flag.sock", "--metrics-listen", ""});
  ASSERT_FALSE(result.exit_code.has_value()) << result.err;
  const AgentConfig config = resolve_config(result.command_line);
  EXPECT_EQ(config.data_dir, "/flag");
  EXPECT_EQ(config.log_level, "error");
  EXPECT_EQ(config.docker.host, "unix:///flag.sock");
  EXPECT_EQ(config.docker.max_connections, 6u);  // from the file, not overridden
  EXPECT_EQ(config.server.listen, "127.0.0.1:5");
  EXPECT_EQ(config.server.metrics_listen, "");
}

TEST_F(CommandLineTest, FileValuesStayWithoutOverrides) {
  const std::string file = write("lc.yaml", "log_level: warn\nserver:\n  listen: ''\n");
  CommandLine command_line;
  command_line.config_file = file;
  const AgentConfig config = resolve_config(command_line);
  EXPECT_EQ(config.log_level, "warn");
  EXPECT_EQ(config.server.listen, "");
  EXPECT_EQ(config.server.metrics_listen, "127.0.0.1:8001");
}

TEST_F(CommandLineTest, ResolveValidatesOverridesSetInCode) {
  CommandLine command_line;
  command_line.listen = "nowhere";
  command_line.log_level = "loud";
  try {
    resolve_config(command_line);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()),
              "command line: --listen: expected host:port such as 127.0.0.1:8401 or [::1]:8401 "
              "(\"\" disables), got 'nowhere'\n"
              "command line: --log-level: expected 'trace', 'debug', 'info', 'warn' or 'error', "
              "got 'loud'");
  }
  CommandLine clash;
  clash.listen = "127.0.0.1:8001";  // the default metrics address
  EXPECT_THROW(resolve_config(clash), ConfigError);
}

TEST_F(CommandLineTest, VersionPrintsAndExitsZero) {
  const ParseResult result = parse({"--version"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "log-capturer 0.1.0\n");
  EXPECT_EQ(result.err, "");
}

TEST_F(CommandLineTest, HelpListsEveryOptionAndExitsZero) {
  const ParseResult result = parse({"--help"});
  EXPECT_EQ(result.exit_code, 0);
  for (const char* option :
       {"--config", "--check-config", "--print-config-reference", "--data-dir", "--listen",
        "--metrics-listen", "--log-level", "--docker-host", "--version", "--help"}) {
    EXPECT_THAT(result.out, HasSubstr(option)) << option;
  }
  EXPECT_THAT(result.out, HasSubstr("overrides server.metrics_listen"));
  EXPECT_EQ(parse({"-h"}).exit_code, 0);
}

TEST_F(CommandLineTest, UsageErrorsExitTwo) {
  for (const std::vector<std::string>& arguments :
       std::vector<std::vector<std::string>>{{"--bogus"},
                                             {"stray-positional"},
                                             {"--config"},
                                             {"--log-level", "loud"},
                                             {"--listen", "8401"},
                                             {"--docker-host", "docker.sock"},
                                             {"--data-dir", ""}}) {
    const ParseResult result = parse(arguments);
    EXPECT_EQ(result.exit_code, 2) << arguments.front();
    EXPECT_FALSE(result.err.empty()) << arguments.front();
    EXPECT_EQ(result.out, "") << arguments.front();
  }
  EXPECT_THAT(parse({"--log-level", "loud"}).err,
              HasSubstr("expected 'trace', 'debug', 'info', 'warn' or 'error', got 'loud'"));
}

TEST_F(CommandLineTest, PrintConfigReferenceListsEveryKeyWithItsTypeDefaultAndMeaning) {
  const ParseResult result = parse({"--print-config-reference"});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.err, "");
  EXPECT_THAT(result.out, ::testing::StartsWith("| Key | Type | Default | Meaning |\n"));
  for (const std::string& path : config_key_paths()) {
    EXPECT_THAT(result.out, HasSubstr("| `" + path + "` | ")) << path;
  }
  EXPECT_THAT(result.out, HasSubstr("| `pipeline.flush_interval` | duration | `200ms` | "));
  EXPECT_THAT(result.out, HasSubstr("| `sinks.<name>.type` | enum | required | The sink type: "
                                    "`file_store`, `loki`, `kafka`, `otlp`, `elasticsearch`, "
                                    "`splunk_hec`, `http`, `syslog` or `console`."));
  EXPECT_THAT(result.out,
              HasSubstr("| `inputs.docker.max_pinned_files` | count (min 0) | `4096` |"));
}

TEST_F(CommandLineTest, CheckConfigReportsOk) {
  const std::string file = write("ok.yaml", "log_level: debug\n");
  const ParseResult result = parse({"--check-config", "--config", file});
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_EQ(result.out, "configuration OK\n");
  EXPECT_EQ(result.err, "");
  EXPECT_EQ(parse({"--check-config"}).exit_code, 0);  // built-in defaults are valid
}

TEST_F(CommandLineTest, CheckConfigReportsTheErrorAndExitsTwo) {
  const std::string file = write("bad.yaml", "pipeline:\n  memory_limit_bytes: lots\n");
  const ParseResult result = parse({"--check-config", "--config", file});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_EQ(result.out, "");
  EXPECT_EQ(result.err,
            file + ":2:3: pipeline.memory_limit_bytes: expected a size like 64MiB, got 'lots'\n");

  const ParseResult missing = parse({"--check-config", "--config", file + ".missing"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("No such file or directory"));
}

TEST_F(CommandLineTest, CheckConfigAppliesOverrides) {
  const std::string file = write("clash.yaml", "server:\n  listen: 127.0.0.1:7\n");
  EXPECT_EQ(parse({"--check-config", "-c", file}).exit_code, 0);
  const ParseResult result =
      parse({"--check-config", "-c", file, "--metrics-listen", "127.0.0.1:7"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("command line: --metrics-listen: server.listen and "
                                    "server.metrics_listen must differ"));
}

// Rules across sinks hold without starting anything: two sinks never share a directory, also
// once --data-dir moves the defaults.
TEST_F(CommandLineTest, CheckConfigRefusesSinksSharingADirectory) {
  const std::string file = write("shared.yaml",
                                 "sinks:\n  loki:\n    enabled: true\n    disk_buffer: {enabled: "
                                 "true, directory: /d/store}\n");
  EXPECT_EQ(parse({"--check-config", "-c", file}).exit_code, 0);
  const ParseResult result = parse({"--check-config", "-c", file, "--data-dir", "/d"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("sinks: the file store and the disk buffer of sink loki would "
                                    "share the directory /d/store"));
}

}  // namespace
}  // namespace lc
