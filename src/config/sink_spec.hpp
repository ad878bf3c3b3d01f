#pragma once

#include <memory>
#include <string>

#include "config/component_options.hpp"
#include "config/sink_delivery_config.hpp"

namespace lc {

// One sink as the configuration declares it (YAML: sinks.<name>: {type: <type>, ...}).
struct SinkSpec {
  std::string name;  // labels its metrics, names it in routes, dead letters and buffers
  std::string type;  // the key of its factory in sinks/all_sinks.cpp
  bool enabled = true;
  SinkDeliveryConfig delivery;                      // the keys every sink shares
  std::shared_ptr<const ComponentOptions> options;  // the type's own keys; never null once loaded

  // The options as their type: only for the type's own factory, which made them.
  template <typename Options>
  const Options& options_as() const {
    return static_cast<const Options&>(*options);
  }
  bool operator==(const SinkSpec& other) const {
    return name == other.name && type == other.type && enabled == other.enabled &&
           delivery == other.delivery && same_options(options, other.options);
  }
};

}  // namespace lc
