#include "docker/docker_event.hpp"

#include <nlohmann/json.hpp>

namespace lc::docker {

namespace {

using nlohmann::json;

std::string string_at(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::optional<DockerEvent> parse_docker_event(std::string_view line) {
  const json root = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!root.is_object()) return std::nullopt;
  DockerEvent event;
  event.type = string_at(root, "Type");
  event.action = string_at(root, "Action");
  const auto actor = root.find("Actor");
  if (actor != root.end() && actor->is_object()) {
    event.id = string_at(*actor, "ID");
    const auto attributes = actor->find("Attributes");
    if (attributes != actor->end()) event.name = string_at(*attributes, "name");
  }
  if (event.id.empty()) event.id = string_at(root, "id");  // pre-1.22 layout
  if (event.type.empty() || event.action.empty() || event.id.empty()) return std::nullopt;
  if (!event.name.empty() && event.name.front() == '/') event.name.erase(0, 1);
  if (const auto nano = root.find("timeNano"); nano != root.end() && nano->is_number_integer()) {
    event.time = nano->get<TimestampNs>();
  } else if (const auto seconds = root.find("time");
             seconds != root.end() && seconds->is_number_integer()) {
    event.time = seconds->get<TimestampNs>() * 1'000'000'000;
  }
  return event;
}

void EventLineSplitter::feed(std::string_view bytes,
                             const std::function<void(std::string_view)>& on_line) {
  while (!bytes.empty()) {
    const auto newline = bytes.find('\n');
    const auto piece = bytes.substr(0, newline);
    if (!discarding_) {
      if (partial_.size() + piece.size() > max_line_bytes_) {
        partial_.clear();
        discarding_ = true;
        ++dropped_lines_;
      } else {
        partial_.append(piece);
      }
    }
    if (newline == std::string_view::npos) return;
    bytes.remove_prefix(newline + 1);
    if (discarding_) {
      discarding_ = false;
      continue;
    }
    std::string_view line = partial_;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) on_line(line);
    partial_.clear();
  }
}

}  // namespace lc::docker
