#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/sink_spec.hpp"
#include "config/type_table.hpp"
#include "sinks/sink.hpp"

namespace lc {

class FileStoreSink;
class HealthRegistry;
class MetricsRegistry;
class YamlSection;

// What a factory may use to build its sink.
struct SinkBuildContext {
  std::string data_dir;
  MetricsRegistry& metrics;
  // Where a sink reports what the pipeline cannot see (no broker reachable); may be null.
  HealthRegistry* health = nullptr;
};

// A directory a sink writes to, and what writes there ("the file store").
struct SinkDirectory {
  std::string what;
  std::string path;
};

// One sink type: how its options are read and how the sink is built from them. Each type's
// folder has one (sinks/<type>/<type>_sink_factory.cpp), listed in sinks/all_sinks.cpp.
class SinkFactory {
 public:
  virtual ~SinkFactory() = default;
  // The YAML `type:` that names it.
  virtual std::string_view type() const = 0;
  // Set for a type of which an agent has at most one, declared under this name.
  virtual std::optional<std::string_view> only_name() const { return std::nullopt; }
  // Whether the sink exists when the file does not mention it (the file store).
  virtual bool present_unless_written() const { return false; }
  // Whether the shorthand sinks.<type> (no `type:`) is enabled unless it says `enabled: false`.
  virtual bool shorthand_enabled() const { return true; }
  // Reads the type's own keys from the sink's section, with the checks across them; problems
  // go to the section (the keys every sink shares are read by the loader, not here).
  virtual std::shared_ptr<const ComponentOptions> read_options(YamlSection& section) const = 0;
  // Directories the sink writes to besides its disk buffer: no two sinks may share one.
  virtual std::vector<SinkDirectory> directories(const SinkSpec&,
                                                 const std::string& data_dir) const {
    (void)data_dir;
    return {};
  }
  // Throws std::exception with a message for the operator when the sink cannot start.
  virtual std::unique_ptr<Sink> build(const SinkSpec& spec,
                                      const SinkBuildContext& context) const = 0;
};

using SinkTypes = TypeTable<SinkFactory>;

}  // namespace lc
