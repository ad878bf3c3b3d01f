#pragma once

#include <memory>
#include <string>

#include "config/component_options.hpp"

namespace lc {

// One input as the configuration declares it (YAML: inputs.<name>: {type: <type>, ...}).
struct InputSpec {
  std::string name;  // carried by its records (selectors' sources:), labels its metrics
  std::string type;  // the key of its factory in inputs/all_inputs.cpp
  bool enabled = true;
  std::shared_ptr<const ComponentOptions> options;  // the type's own keys; never null once loaded

  // The options as their type: only for the type's own factory, which made them.
  template <typename Options>
  const Options& options_as() const {
    return static_cast<const Options&>(*options);
  }
  bool operator==(const InputSpec& other) const {
    return name == other.name && type == other.type && enabled == other.enabled &&
           same_options(options, other.options);
  }
};

}  // namespace lc
