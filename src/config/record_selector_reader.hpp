#pragma once

#include "config/agent_config.hpp"

namespace lc {

class YamlSection;

// Reads a record selector (a filter's include/exclude, a route's match): docs/configuration.md,
// "Record selectors".
void read_record_selector(YamlSection& section, RecordSelectorConfig& selector);

}  // namespace lc
