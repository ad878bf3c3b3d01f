#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/sink_spec.hpp"
#include "sinks/sink.hpp"

namespace lc {

class FileStoreSink;
class MetricsRegistry;
class YamlSection;

// What a factory may use to build its sink.
struct SinkBuildContext {
  std::string data_dir;
  MetricsRegistry& metrics;
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
  virtual std::shared_ptr<const SinkOptions> read_options(YamlSection& section) const = 0;
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

// The sink types a configuration may name.
class SinkTypes {
 public:
  explicit SinkTypes(std::vector<const SinkFactory*> factories)
      : factories_(std::move(factories)) {}
  const SinkFactory* find(std::string_view type) const {
    for (const SinkFactory* factory : factories_) {
      if (factory->type() == type) return factory;
    }
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const SinkFactory* factory : factories_) names.emplace_back(factory->type());
    return names;
  }
  const std::vector<const SinkFactory*>& all() const { return factories_; }

 private:
  std::vector<const SinkFactory*> factories_;
};

}  // namespace lc
