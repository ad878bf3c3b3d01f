#pragma once

#include <string>
#include <vector>

#include "config/agent_config.hpp"
#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: dedup (docs/configuration.md): drops a record equal to one seen within
// `window` in the chosen paths.
struct DedupOptions : OptionsOf<DedupOptions> {
  std::vector<std::string> fields{".container_id", ".file", ".stream", ".message"};
  Duration window = std::chrono::seconds(10);
  std::uint32_t max_entries = 10000;

  bool operator==(const DedupOptions&) const = default;
};

void read_dedup_options(YamlSection& item, DedupOptions& options);

}  // namespace lc
