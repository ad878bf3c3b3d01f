#pragma once

#include <string>
#include <vector>

#include "core/container_metadata.hpp"
#include "core/label_selector.hpp"
#include "inputs/docker/docker_input_options.hpp"

namespace lc::docker_input {

// Which containers to capture: include/exclude by name glob, label and image glob. A
// container is captured when it matches every non-empty include list and no exclude.
class ContainerFilter {
 public:
  explicit ContainerFilter(const ContainerFilterConfig& config) : config_(config) {}
  bool matches(const ContainerMetadata& container) const;

 private:
  ContainerFilterConfig config_;
};

using lc::label_selector_matches;

}  // namespace lc::docker_input
