#include "sinks/sink_directories.hpp"

#include <filesystem>

namespace lc {
namespace {

std::string under_data_dir(const AgentConfig& config, const std::string& configured,
                           const std::filesystem::path& relative) {
  return configured.empty() ? (std::filesystem::path(config.data_dir) / relative).string()
                            : configured;
}

}  // namespace

std::string disk_buffer_directory(const AgentConfig& config, const SinkSpec& sink) {
  return under_data_dir(config, sink.delivery.disk_buffer.directory,
                        std::filesystem::path("buffers") / sink.name);
}

std::string dead_letter_directory(const AgentConfig& config) {
  return under_data_dir(config, config.dead_letters.directory, "dead_letters");
}

std::vector<SinkDirectory> sink_directories(const AgentConfig& config, const SinkTypes& types) {
  std::vector<SinkDirectory> used;
  for (const SinkSpec& spec : config.sinks) {
    if (!spec.enabled) continue;
    if (const SinkFactory* factory = types.find(spec.type)) {
      for (SinkDirectory& own : factory->directories(spec, config.data_dir)) {
        used.push_back(std::move(own));
      }
    }
    if (spec.delivery.disk_buffer.enabled) {
      used.push_back({"the disk buffer of sink " + spec.name, disk_buffer_directory(config, spec)});
    }
  }
  if (config.dead_letters.enabled) {
    used.push_back({"the dead letters", dead_letter_directory(config)});
  }
  return used;
}

std::optional<std::string> shared_sink_directory(const AgentConfig& config,
                                                 const SinkTypes& types) {
  std::vector<std::pair<std::string, std::filesystem::path>> used;
  for (const SinkDirectory& directory : sink_directories(config, types)) {
    used.emplace_back(directory.what, std::filesystem::path(directory.path).lexically_normal());
  }
  for (std::size_t i = 0; i < used.size(); ++i) {
    for (std::size_t j = i + 1; j < used.size(); ++j) {
      if (used[i].second == used[j].second) {
        return used[i].first + " and " + used[j].first + " would share the directory " +
               used[i].second.string() + ": give each a directory of its own";
      }
    }
  }
  return std::nullopt;
}

}  // namespace lc
