#include "inputs/docker/container_filter.hpp"

#include <fnmatch.h>

#include <algorithm>

namespace lc::docker_input {
namespace {

bool any_glob_matches(const std::vector<std::string>& globs, const std::string& value) {
  return std::any_of(globs.begin(), globs.end(), [&](const std::string& glob) {
    return fnmatch(glob.c_str(), value.c_str(), 0) == 0;
  });
}

bool any_label_matches(const std::vector<std::string>& selectors,
                       const std::map<std::string, std::string>& labels) {
  return std::any_of(selectors.begin(), selectors.end(), [&](const std::string& selector) {
    return label_selector_matches(selector, labels);
  });
}

}  // namespace

bool ContainerFilter::matches(const ContainerMetadata& container) const {
  if (!config_.include_names.empty() && !any_glob_matches(config_.include_names, container.name))
    return false;
  if (any_glob_matches(config_.exclude_names, container.name)) return false;
  if (!config_.include_labels.empty() &&
      !any_label_matches(config_.include_labels, container.labels))
    return false;
  if (any_label_matches(config_.exclude_labels, container.labels)) return false;
  if (!config_.include_images.empty() && !any_glob_matches(config_.include_images, container.image))
    return false;
  return !any_glob_matches(config_.exclude_images, container.image);
}

}  // namespace lc::docker_input
