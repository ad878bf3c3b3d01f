#pragma once

#include "config/component_options.hpp"
#include "processors/common/record_key.hpp"

namespace lc {

class YamlSection;

// processors: - type: throttle (docs/configuration.md): a token bucket per key; records beyond
// it are dropped and counted.
struct ThrottleOptions : OptionsOf<ThrottleOptions> {
  RecordKeyOptions key;
  double rate = 0;          // records per second, per key (required)
  std::uint32_t burst = 0;  // bucket size; 0: max(rate, 1)

  bool operator==(const ThrottleOptions&) const = default;
};

void read_throttle_options(YamlSection& item, ThrottleOptions& options);

}  // namespace lc
