#pragma once

#include <map>
#include <memory>
#include <string>

namespace lc {

// What the Engine API's inspect says about a container; shared by all of its records.
struct ContainerMetadata {
  std::string id;    // full 64-hex id
  std::string name;  // without the leading '/'
  std::string image;
  std::map<std::string, std::string> labels;
  std::string compose_project;  // label com.docker.compose.project, or empty
  std::string compose_service;  // label com.docker.compose.service, or empty
  bool tty = false;
  bool running = false;
  // State.StartedAt as dockerd reports it: changes each time the container starts, so two
  // inspects with the same value and running false mean its log did not grow in between.
  std::string started_at;
  std::string log_driver;  // HostConfig.LogConfig.Type, e.g. "json-file"
  std::string log_path;    // LogPath, empty for drivers without a file
  // The name of the input that follows it, for selectors (sources: [<input name>]).
  std::string input;
};

using ContainerMetadataPtr = std::shared_ptr<const ContainerMetadata>;

// The 12-character id Docker shows (`docker ps`), for log messages.
inline std::string short_container_id(const std::string& id) { return id.substr(0, 12); }

}  // namespace lc
