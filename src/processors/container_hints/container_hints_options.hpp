#pragma once

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: container_hints (docs/configuration.md): what a container's labels ask
// for its own records. Put first in the list by the loader unless `container_hints: false`.
struct ContainerHintsOptions : OptionsOf<ContainerHintsOptions> {
  bool operator==(const ContainerHintsOptions&) const = default;
};

void read_container_hints_options(YamlSection& item, ContainerHintsOptions& options);

}  // namespace lc
