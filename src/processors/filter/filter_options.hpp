#pragma once

#include <optional>

#include "config/agent_config.hpp"
#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: filter (docs/configuration.md). With include set, only matching records
// go on; then records matching exclude are dropped (counted). At least one of the two.
struct FilterOptions : OptionsOf<FilterOptions> {
  std::optional<RecordSelectorConfig> include;
  std::optional<RecordSelectorConfig> exclude;

  bool operator==(const FilterOptions&) const = default;
};

void read_filter_options(YamlSection& item, FilterOptions& options);

}  // namespace lc
