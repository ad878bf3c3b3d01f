#pragma once

#include <optional>
#include <string_view>
#include <vector>

#include "core/container_metadata.hpp"
#include "docker/docker_client.hpp"

namespace lc::docker {

// GET /containers/{id}/json -> metadata. nullopt when the body is not a JSON object with an Id.
// Missing or null fields (Labels is null for some containers) read as empty.
std::optional<ContainerMetadata> parse_container_inspect(std::string_view json);

// GET /containers/json -> summaries. nullopt when the body is not a JSON array; entries
// without an Id are skipped.
std::optional<std::vector<ContainerSummary>> parse_container_list(std::string_view json);

}  // namespace lc::docker
