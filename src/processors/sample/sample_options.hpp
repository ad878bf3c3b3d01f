#pragma once

#include <optional>

#include "config/component_options.hpp"
#include "config/record_selector_config.hpp"
#include "processors/common/record_key.hpp"

namespace lc {

class YamlSection;

// processors: - type: sample (docs/configuration.md): keeps 1 record in `rate` per key, except
// those `always_keep` selects.
struct SampleOptions : OptionsOf<SampleOptions> {
  RecordKeyOptions key;
  std::uint32_t rate = 0;  // keep 1 in rate (required, at least 2)
  std::optional<RecordSelectorConfig> always_keep;

  bool operator==(const SampleOptions&) const = default;
};

void read_sample_options(YamlSection& item, SampleOptions& options);

}  // namespace lc
