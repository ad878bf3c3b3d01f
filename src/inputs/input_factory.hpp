#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <memory>
#include <string_view>

#include "config/input_spec.hpp"
#include "config/type_table.hpp"
#include "inputs/input.hpp"

namespace lc {

struct AgentConfig;
class CheckpointTracker;
class FileCheckpoints;
class HealthRegistry;
class MetricsRegistry;
class Pipeline;
class YamlSection;
namespace json_file {
class FileChangeWatcher;
struct JsonFileInputMetrics;
}  // namespace json_file
namespace file_input {
class FilePathClaims;
}

// What a factory may use to build its input: the agent's shared parts, all on the input loop.
struct InputBuildContext {
  boost::asio::any_io_executor executor;
  const AgentConfig& config;  // the keys shared by inputs (docker.*: the engine)
  Pipeline& pipeline;
  CheckpointTracker& tracker;
  FileCheckpoints& file_checkpoints;
  MetricsRegistry& metrics;
  HealthRegistry& health;
  json_file::FileChangeWatcher& watcher;  // one inotify fd for every file read
  json_file::JsonFileInputMetrics& json_file_metrics;
  file_input::FilePathClaims& file_claims;  // no file is read by two inputs
};

// One input type: how its options are read and how the input is built from them. Each type's
// folder has one, listed in inputs/all_inputs.cpp.
class InputFactory {
 public:
  virtual ~InputFactory() = default;
  // The YAML `type:` that names it.
  virtual std::string_view type() const = 0;
  // Whether an agent has at most one enabled input of this type (the docker input: two would
  // follow the same containers).
  virtual bool single_instance() const { return false; }
  // Whether the shorthand inputs.<type> exists when the file does not mention it (docker).
  virtual bool present_unless_written() const { return false; }
  // Whether the shorthand inputs.<type> (no `type:`) is enabled unless it says `enabled: false`.
  virtual bool shorthand_enabled() const { return true; }
  // Reads the type's own keys, with the checks across them; problems go to the section.
  virtual std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const = 0;
  // Checks that apply only when the input runs (a files input needs include patterns).
  virtual void check_enabled(YamlSection& section, const ComponentOptions& options) const {
    (void)section;
    (void)options;
  }
  // Throws std::exception with a message for the operator when the input cannot start.
  virtual std::unique_ptr<Input> build(const InputSpec& spec,
                                       const InputBuildContext& context) const = 0;
};

using InputTypes = TypeTable<InputFactory>;

}  // namespace lc
