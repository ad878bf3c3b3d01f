#pragma once

#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "core/container_metadata.hpp"

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

// "key" matches when the label exists, "key=value" when it has that value.
bool label_selector_matches(const std::string& selector,
                            const std::map<std::string, std::string>& labels);

}  // namespace lc::docker_input
