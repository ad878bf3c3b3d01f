#pragma once

#include <memory>
#include <optional>
#include <string>

#include "config/component_options.hpp"
#include "config/record_selector_config.hpp"

namespace lc {

// One step of the processors stage as the configuration declares it (YAML: a list item under
// processors), run in order on every record between the inputs and the router.
struct ProcessorSpec {
  std::string name;  // unique; default "<type>_<position from 1>"; labels its metrics
  std::string type;  // the key of its factory in processors/all_processors.cpp
  std::shared_ptr<const ComponentOptions> options;  // the type's own keys; never null once loaded
  // The records it applies to (YAML: when:); none: every record. The others pass it by.
  std::optional<RecordSelectorConfig> when;

  // The options as their type: only for the type's own factory, which made them.
  template <typename Options>
  const Options& options_as() const {
    return static_cast<const Options&>(*options);
  }
  bool operator==(const ProcessorSpec& other) const {
    return name == other.name && type == other.type && same_options(options, other.options) &&
           when == other.when;
  }
};

}  // namespace lc
