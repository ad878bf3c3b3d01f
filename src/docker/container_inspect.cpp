#include "docker/container_inspect.hpp"

#include <nlohmann/json.hpp>

namespace lc::docker {

namespace {

using nlohmann::json;

const json& field(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  const auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}

std::string string_field(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_string() ? value.get<std::string>() : std::string();
}

bool bool_field(const json& object, const char* key) {
  const json& value = field(object, key);
  return value.is_boolean() && value.get<bool>();
}

std::string without_slash(std::string name) {
  if (!name.empty() && name.front() == '/') name.erase(0, 1);
  return name;
}

std::string label(const std::map<std::string, std::string>& labels, const char* key) {
  const auto it = labels.find(key);
  return it == labels.end() ? std::string() : it->second;
}

}  // namespace

std::optional<ContainerMetadata> parse_container_inspect(std::string_view text) {
  const json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) return std::nullopt;
  ContainerMetadata metadata;
  metadata.id = string_field(root, "Id");
  if (metadata.id.empty()) return std::nullopt;
  metadata.name = without_slash(string_field(root, "Name"));
  const json& config = field(root, "Config");
  metadata.image = string_field(config, "Image");
  metadata.tty = bool_field(config, "Tty");
  const json& labels = field(config, "Labels");
  if (labels.is_object()) {
    for (const auto& [key, value] : labels.items()) {
      if (value.is_string()) metadata.labels.emplace(key, value.get<std::string>());
    }
  }
  metadata.compose_project = label(metadata.labels, "com.docker.compose.project");
  metadata.compose_service = label(metadata.labels, "com.docker.compose.service");
  metadata.running = bool_field(field(root, "State"), "Running");
  metadata.started_at = string_field(field(root, "State"), "StartedAt");
  metadata.log_driver = string_field(field(field(root, "HostConfig"), "LogConfig"), "Type");
  metadata.log_path = string_field(root, "LogPath");
  return metadata;
}

std::optional<std::vector<ContainerSummary>> parse_container_list(std::string_view text) {
  const json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!root.is_array()) return std::nullopt;
  std::vector<ContainerSummary> containers;
  containers.reserve(root.size());
  for (const json& entry : root) {
    ContainerSummary summary;
    summary.id = string_field(entry, "Id");
    if (summary.id.empty()) continue;
    const json& names = field(entry, "Names");
    if (names.is_array() && !names.empty() && names.front().is_string()) {
      summary.name = without_slash(names.front().get<std::string>());
    }
    summary.image = string_field(entry, "Image");
    summary.state = string_field(entry, "State");
    containers.push_back(std::move(summary));
  }
  return containers;
}

}  // namespace lc::docker
