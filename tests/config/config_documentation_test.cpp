// The reference docs and the example config are part of the contract: they must load, cover
// every key, and state the defaults the code really has.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "config/agent_config_dump.hpp"
#include "config/config_loader.hpp"
#include "config/config_reference.hpp"

namespace lc {
namespace {

using ::testing::HasSubstr;

// The repository root: $LC_SOURCE_DIR (set by CTest), else found upwards from the cwd.
std::filesystem::path source_dir() {
  if (const char* from_env = std::getenv("LC_SOURCE_DIR")) return from_env;
  for (auto dir = std::filesystem::current_path(); dir != dir.root_path();
       dir = dir.parent_path()) {
    if (std::filesystem::exists(dir / "docs" / "configuration.md")) return dir;
  }
  return {};
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  EXPECT_TRUE(file) << "cannot open " << path << " (set LC_SOURCE_DIR to the repository root)";
  std::ostringstream text;
  text << file.rdbuf();
  return text.str();
}

std::string reference_doc() { return read_text(source_dir() / "docs" / "configuration.md"); }

// The ```yaml block between "<!-- name:begin -->" and "<!-- name:end -->".
std::string yaml_block(const std::string& doc, const std::string& name) {
  const std::size_t begin = doc.find("<!-- " + name + ":begin -->");
  const std::size_t end = doc.find("<!-- " + name + ":end -->");
  if (begin == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "markers for " << name << " not found";
    return {};
  }
  const std::string section = doc.substr(begin, end - begin);
  const std::size_t fence = section.find("```yaml\n");
  const std::size_t close = section.rfind("```");
  if (fence == std::string::npos || close <= fence) {
    ADD_FAILURE() << "no yaml block in " << name;
    return {};
  }
  return section.substr(fence + 8, close - fence - 8);
}

struct ReferenceRow {
  std::string key;
  std::string default_value;
  bool required = false;  // "required" instead of a default
};

// Rows "| `full.key` | type | `default` | meaning |" of the reference tables.
std::vector<ReferenceRow> reference_rows(const std::string& doc) {
  std::vector<ReferenceRow> rows;
  std::istringstream lines(doc);
  const auto catalog = config_key_paths();
  for (std::string line; std::getline(lines, line);) {
    if (!line.starts_with("| `")) continue;
    std::vector<std::string> cells;
    std::size_t start = 1;
    for (std::size_t bar = line.find('|', start); bar != std::string::npos;
         bar = line.find('|', start)) {
      cells.push_back(line.substr(start, bar - start));
      start = bar + 1;
    }
    if (cells.size() < 4) continue;
    auto unquote = [](std::string cell) {
      const std::size_t open = cell.find('`');
      const std::size_t close = cell.rfind('`');
      return open == close ? std::string() : cell.substr(open + 1, close - open - 1);
    };
    std::string key = unquote(cells[0]);
    if (std::find(catalog.begin(), catalog.end(), key) == catalog.end()) continue;
    rows.push_back(ReferenceRow{std::move(key), unquote(cells[2]),
                                cells[2].find("required") != std::string::npos});
  }
  return rows;
}

// Several "a.b.c" = "value" (YAML text) settings as one document.
std::string yaml_settings(const std::vector<std::pair<std::string, std::string>>& settings) {
  YAML::Node root(YAML::NodeType::Map);
  for (const auto& [path, value] : settings) {
    YAML::Node node = root;
    std::size_t start = 0;
    for (std::size_t dot = path.find('.'); dot != std::string::npos; dot = path.find('.', start)) {
      YAML::Node child = node[path.substr(start, dot - start)];
      if (!child.IsMap()) child = YAML::Node(YAML::NodeType::Map);
      node[path.substr(start, dot - start)] = child;
      node.reset(child);
      start = dot + 1;
    }
    node[path.substr(start)] = value.empty() ? YAML::Node() : YAML::Load(value);  // "key:" is null
  }
  if (settings.empty()) return "";
  YAML::Emitter out;
  out << root;
  return std::string(out.c_str()) + "\n";
}

TEST(ConfigDocumentation, ExampleConfigLoads) {
  ::unsetenv("LC_DATA_DIR");
  const auto path = source_dir() / "examples" / "log-capturer.yaml";
  const AgentConfig config = load_config_file(path.string());
  EXPECT_EQ(config.data_dir, "./data");
  // Apart from the two filters its comments call out, the example shows the defaults.
  DockerInputConfig docker;
  docker.filter.exclude_names = {"log-capturer", "*-debug"};
  docker.filter.exclude_labels = {"logging=disabled"};
  EXPECT_EQ(testing::docker_input_of(config), docker);
  ASSERT_NE(config.find_input("files"), nullptr);  // written, off, with the defaults
  EXPECT_FALSE(config.find_input("files")->enabled);
  EXPECT_EQ(testing::file_input_of(config), FileInputConfig{});
  AgentConfig expected = default_config();
  expected.inputs = config.inputs;
  EXPECT_EQ(testing::dump_config(config), testing::dump_config(expected));
}

TEST(ConfigDocumentation, ExampleConfigSetsEveryKey) {
  const std::string text = read_text(source_dir() / "examples" / "log-capturer.yaml");
  for (const auto& path : config_key_paths()) {
    const std::string leaf = path.substr(path.rfind('.') + 1);
    EXPECT_THAT(text, HasSubstr(leaf + ":")) << path;
  }
}

TEST(ConfigDocumentation, MinimalExampleLoads) {
  const AgentConfig config =
      parse_config_text(yaml_block(reference_doc(), "minimal-example"), "minimal-example");
  EXPECT_EQ(config.data_dir, "/var/lib/log-capturer");
}

TEST(ConfigDocumentation, FullExampleLoadsAndSetsEveryKey) {
  ::unsetenv("STATE_DIRECTORY");
  ::unsetenv("LC_LISTEN");
  ::unsetenv("DOCKER_HOST");
  const std::string yaml = yaml_block(reference_doc(), "full-example");
  // Certificate files must exist to load: the example's, made empty in a directory of our own.
  const std::filesystem::path certs =
      std::filesystem::temp_directory_path() / ("lc-full-example-" + std::to_string(::getpid()));
  std::filesystem::create_directories(certs);
  std::string loadable = yaml;
  const std::string kExampleDir = "/etc/log-capturer/";
  for (std::size_t at = 0; (at = loadable.find(kExampleDir, at)) != std::string::npos;) {
    const std::size_t end = loadable.find_first_of(" \n", at);
    const std::string name =
        loadable.substr(at + kExampleDir.size(), end - at - kExampleDir.size());
    std::ofstream(certs / name).put('\n');
    loadable.replace(at, kExampleDir.size(), certs.string() + "/");
    at += certs.string().size() + 1;
  }
  const AgentConfig config = parse_config_text(loadable, "full-example");
  std::filesystem::remove_all(certs);
  EXPECT_EQ(config.data_dir, "/var/lib/log-capturer");
  EXPECT_EQ(config.docker.host, "unix:///var/run/docker.sock");
  EXPECT_EQ(config.server.listen, "127.0.0.1:8401");
  EXPECT_EQ(config.pipeline.memory_limit_bytes, 128ull * 1024 * 1024);
  EXPECT_EQ(testing::docker_input_of(config).filter.exclude_images,
            (std::vector<std::string>{"k8s.gcr.io/pause*"}));
  for (const auto& path : config_key_paths()) {
    const std::string leaf = path.substr(path.rfind('.') + 1);
    EXPECT_THAT(yaml, HasSubstr(leaf + ":")) << path;
  }
}

TEST(ConfigDocumentation, EveryKeyHasAReferenceRow) {
  const auto rows = reference_rows(reference_doc());
  for (const auto& path : config_key_paths()) {
    const bool documented = std::any_of(rows.begin(), rows.end(),
                                        [&](const ReferenceRow& row) { return row.key == path; });
    EXPECT_TRUE(documented) << "docs/configuration.md has no row for `" << path << "`";
  }
  EXPECT_EQ(rows.size(), config_key_paths().size());
}

// The reference tables are what the readers declare (`log-capturer --print-config-reference`):
// each key's row word for word, its type, default and meaning.
TEST(ConfigDocumentation, EveryReferenceRowIsWhatTheReadersDeclare) {
  const std::string doc = reference_doc();
  std::istringstream lines(doc);
  std::vector<std::string> rows;
  for (std::string line; std::getline(lines, line);) rows.push_back(line);
  for (const KeySchema& key : config_schema()) {
    EXPECT_FALSE(key.about.empty()) << key.path << " is read without a meaning";
    const std::string row = config_reference_row(key);
    EXPECT_TRUE(std::find(rows.begin(), rows.end(), row) != rows.end())
        << "docs/configuration.md should have the row\n"
        << row;
  }
}

// A row's key as written in a file: the keys every sink (input) shares are documented as
// sinks.<name>.* (inputs.<name>.*), checked on the file store (the docker input).
std::string concrete_key(const std::string& key) {
  const std::string any_sink = "sinks.<name>.", any_input = "inputs.<name>.";
  if (key.starts_with(any_sink)) return "sinks.file_store." + key.substr(any_sink.size());
  if (key.starts_with(any_input)) return "inputs.docker." + key.substr(any_input.size());
  return key;
}

// The component of `kind` ("sinks.", "inputs.") a key belongs to ("loki" for sinks.loki.url),
// empty for other keys.
std::string component_of(const std::string& key, const std::string& kind) {
  if (!key.starts_with(kind)) return {};
  return key.substr(kind.size(), key.find('.', kind.size()) - kind.size());
}

TEST(ConfigDocumentation, DocumentedDefaultsAreTheCodeDefaults) {
  for (const auto& row : reference_rows(reference_doc())) {
    // Keys of list items (processors[].type) have no default outside an item.
    if (row.key.find("[]") != std::string::npos) continue;
    if (row.required) continue;  // no default to compare
    const std::string key = concrete_key(row.key);
    // A sink's keys are compared with that sink switched on (sinks.loki is off by default).
    const std::string sink = component_of(key, "sinks.");
    std::vector<std::pair<std::string, std::string>> settings;
    if (!sink.empty() && !key.ends_with(".enabled")) {
      settings.emplace_back("sinks." + sink + ".enabled", "true");
    }
    if (sink == "kafka") settings.emplace_back("sinks.kafka.brokers", "k:9092");  // required
    if (sink == "http" && !key.ends_with(".url")) {
      settings.emplace_back("sinks.http.url", "http://h/x");  // required
    }
    if (sink == "splunk_hec" && !key.ends_with(".token")) {
      settings.emplace_back("sinks.splunk_hec.token", "t");  // required
    }
    // An input's keys, with that input written in both (off: inputs.files needs include).
    const std::string input = component_of(key, "inputs.");
    if (!input.empty() && !key.ends_with(".enabled") && !key.ends_with(".type")) {
      settings.emplace_back("inputs." + input + ".enabled", "false");
    }
    const std::string defaults =
        testing::dump_config(parse_config_text(yaml_settings(settings), "defaults"));
    settings.emplace_back(key, row.default_value);
    const std::string yaml = yaml_settings(settings);
    try {
      EXPECT_EQ(testing::dump_config(parse_config_text(yaml, row.key)), defaults) << yaml;
    } catch (const ConfigError& error) {
      ADD_FAILURE() << row.key << ": documented default does not load: " << error.what();
    }
  }
}

}  // namespace
}  // namespace lc
