#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "config/config_loader.hpp"
#include "config/yaml_section.hpp"
#include "inputs/all_inputs.hpp"
#include "inputs/docker/docker_input_options.hpp"
#include "inputs/file/file_input_config.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

// A test-only input type: its options and factory are all it takes, plus one table line.
struct TickOptions : OptionsOf<TickOptions> {
  std::uint32_t every = 5;
  bool operator==(const TickOptions&) const = default;
};

class TickInputFactory : public InputFactory {
 public:
  std::string_view type() const override { return "tick"; }
  std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const override {
    auto options = std::make_shared<TickOptions>();
    section.read_count("every", options->every);
    return options;
  }
  std::unique_ptr<Input> build(const InputSpec&, const InputBuildContext&) const override {
    return nullptr;
  }
};

const InputTypes& types_with_tick() {
  static const TickInputFactory tick;
  static const InputTypes types = [] {
    std::vector<const InputFactory*> all = built_in_input_types().all();
    all.push_back(&tick);
    return InputTypes(std::move(all));
  }();
  return types;
}

ComponentTypes with_inputs(const InputTypes& inputs) {
  return ComponentTypes{built_in_sink_types(), built_in_processor_types(), inputs};
}

AgentConfig parse(std::string_view yaml, const InputTypes& types = built_in_input_types()) {
  return parse_config_text(yaml, "cfg.yaml", with_inputs(types));
}

std::string error_of(std::string_view yaml, const InputTypes& types = built_in_input_types()) {
  try {
    parse(yaml, types);
  } catch (const ConfigError& error) {
    return error.what();
  }
  return "no error";
}

std::vector<std::string> names_of(const AgentConfig& config) {
  std::vector<std::string> names;
  for (const InputSpec& input : config.inputs) {
    names.push_back(input.name + (input.enabled ? "" : " (off)"));
  }
  return names;
}

TEST(InputTable, BuiltInTypesAreDockerAndFiles) {
  EXPECT_EQ(built_in_input_types().names(), (std::vector<std::string>{"docker", "files"}));
}

TEST(InputTable, ANewTypeIsReadCheckedAndListedThroughItsFactoryAlone) {
  const AgentConfig config =
      parse("inputs:\n  beats:\n    type: tick\n    every: 7\n", types_with_tick());
  const InputSpec* beats = config.find_input("beats");
  ASSERT_NE(beats, nullptr);
  EXPECT_EQ(beats->type, "tick");
  EXPECT_TRUE(beats->enabled);
  EXPECT_EQ(beats->options_as<TickOptions>().every, 7u);
  EXPECT_THAT(error_of("inputs:\n  beats:\n    type: tick\n    evry: 1\n", types_with_tick()),
              HasSubstr("inputs.beats.evry: unknown key; did you mean 'every'?"));
  const auto catalogue = config_key_paths(with_inputs(types_with_tick()));
  EXPECT_NE(std::find(catalogue.begin(), catalogue.end(), "inputs.tick.every"), catalogue.end());
  EXPECT_EQ(error_of("inputs:\n  beats:\n    type: tick\n"),
            "cfg.yaml:3:5: inputs.beats.type: unknown input type 'tick' (types: 'docker' or "
            "'files')");
  EXPECT_THAT(error_of("inputs:\n  beats:\n    type: tik\n", types_with_tick()),
              HasSubstr("unknown input type 'tik'; did you mean 'tick'?"));
}

TEST(InputDeclarations, TheShorthandsKeepTheirMeaning) {
  // No inputs section: the docker input alone.
  EXPECT_EQ(names_of(parse("")), (std::vector<std::string>{"docker"}));
  // inputs.files is off unless enabled, as it always was; inputs.docker on unless disabled.
  EXPECT_EQ(names_of(parse("inputs:\n  files: {include: [/x]}\n")),
            (std::vector<std::string>{"files (off)", "docker"}));
  EXPECT_EQ(names_of(parse("inputs:\n  docker: {enabled: false}\n")),
            (std::vector<std::string>{"docker (off)"}));
  const AgentConfig config =
      parse("inputs:\n  files: {enabled: true, include: [/x]}\n  docker: {start_at: now}\n");
  EXPECT_EQ(names_of(config), (std::vector<std::string>{"files", "docker"}));
  EXPECT_EQ(config.find_input("docker")->options_as<DockerInputConfig>().start_at,
            DockerInputConfig::StartAt::kNow);
  EXPECT_EQ(config.find_input("files")->options_as<FileInputConfig>().include,
            (std::vector<std::string>{"/x"}));
}

TEST(InputDeclarations, SeveralFilesInputsEachWithTheirOwnKeys) {
  const AgentConfig config = parse(
      "inputs:\n"
      "  app_logs: {type: files, include: [/var/log/app/*.log], labels: [team=a]}\n"
      "  nginx:\n    type: files\n    include: [/var/log/nginx/*.log]\n"
      "    multiline: {start_pattern: '^\\d'}\n");
  EXPECT_EQ(names_of(config), (std::vector<std::string>{"app_logs", "nginx", "docker"}));
  const auto& app = config.find_input("app_logs")->options_as<FileInputConfig>();
  const auto& nginx = config.find_input("nginx")->options_as<FileInputConfig>();
  EXPECT_EQ(app.labels, (std::vector<std::string>{"team=a"}));
  EXPECT_TRUE(nginx.labels.empty());
  EXPECT_EQ(nginx.multiline_start_pattern, "^\\d");
  EXPECT_TRUE(app.multiline_start_pattern.empty());
}

TEST(InputDeclarations, ADockerInputOfAnotherNameReplacesTheDefaultOne) {
  const AgentConfig config = parse("inputs:\n  containers: {type: docker, mode: api}\n");
  EXPECT_EQ(names_of(config), (std::vector<std::string>{"containers"}));
  EXPECT_EQ(config.enabled_input_of_type("docker")->name, "containers");
  EXPECT_EQ(config.find_input("containers")->options_as<DockerInputConfig>().mode,
            DockerInputConfig::Mode::kApi);
  // Off, it leaves no docker input at all.
  EXPECT_EQ(names_of(parse("inputs:\n  containers: {type: docker, enabled: false}\n")),
            (std::vector<std::string>{"containers (off)"}));
}

TEST(InputDeclarations, MistakesAreReportedWithTheirPlace) {
  EXPECT_EQ(error_of("inputs:\n  docker: {}\n  more: {type: docker}\n"),
            "cfg.yaml:3:10: inputs.more.type: an agent has one enabled docker input; "
            "inputs.docker is one");
  EXPECT_EQ(error_of("inputs:\n  docker: {type: files, include: [/x]}\n"),
            "cfg.yaml:2:12: inputs.docker.type: the name 'docker' is the docker input's; give "
            "this files input another");
  EXPECT_EQ(error_of("inputs:\n  App: {type: files, include: [/x]}\n"),
            "cfg.yaml:2:9: inputs.App.type: an input name is a lowercase letter then letters, "
            "digits or '_' (at most 64), got 'App'");
  EXPECT_EQ(error_of("inputs:\n  file: {include: [/x]}\n"),
            "cfg.yaml:2:3: inputs.file.type: is required; did you mean the input 'files'? (a name "
            "of your own needs type: 'docker' or 'files')");
  EXPECT_EQ(error_of("inputs:\n  app: {type: files}\n"),
            "cfg.yaml:2:3: inputs.app.include: is required: glob patterns of the files to tail");
  EXPECT_EQ(error_of("inputs:\n  files: {enabled: false}\n"), "no error");  // off: not needed
  // Refused at load (and by --check-config), not when the input starts.
  EXPECT_THAT(
      error_of("inputs:\n  app: {type: files, include: [/x], multiline: {start_pattern: '('}}\n"),
      HasSubstr("cfg.yaml:2:49: inputs.app.multiline.start_pattern: not a regex RE2 accepts"));
  EXPECT_THAT(error_of("inputs:\n  app: {type: files, include: [/x], max_open_files: 0}\n"),
              HasSubstr("inputs.app.max_open_files: expected a whole number"));
}

TEST(InputDeclarations, SelectorsNameInputTypesOrInputNames) {
  const AgentConfig config = parse(
      "inputs:\n  nginx: {type: files, include: [/x]}\n"
      "routes:\n  - match: {sources: [nginx, docker, files, file]}\n    sinks: [file_store]\n");
  EXPECT_EQ(config.routes.at(0).match.sources,
            (std::vector<std::string>{"nginx", "docker", "files", "file"}));
  EXPECT_EQ(error_of("inputs:\n  nginx: {type: files, include: [/x]}\n"
                     "routes:\n  - match: {sources: [ngnix]}\n    sinks: [file_store]\n"),
            "cfg.yaml:4:23: routes[0].match.sources[0]: expected an input type or name: "
            "'docker', 'files', 'nginx' or 'docker', got 'ngnix'");
}

}  // namespace
}  // namespace lc
