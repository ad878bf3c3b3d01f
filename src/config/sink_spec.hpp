#pragma once

#include <memory>
#include <string>

#include "config/sink_delivery_config.hpp"

namespace lc {

// The options of one sink type (sinks/<type>/<type>_options.hpp derives from SinkOptionsOf).
// The configuration holds them behind this base so that it needs no sink's header.
class SinkOptions {
 public:
  virtual ~SinkOptions() = default;
  // Whether `other` is of the same type with the same values (the reload diff).
  virtual bool equals(const SinkOptions& other) const = 0;
};

// equals() from the options struct's own (defaulted) operator==.
template <typename Derived>
class SinkOptionsOf : public SinkOptions {
 public:
  bool equals(const SinkOptions& other) const override {
    const auto* same = dynamic_cast<const Derived*>(&other);
    return same != nullptr && *same == static_cast<const Derived&>(*this);
  }
  bool operator==(const SinkOptionsOf&) const { return true; }
};

// One sink as the configuration declares it (YAML: sinks.<name>: {type: <type>, ...}).
struct SinkSpec {
  std::string name;  // labels its metrics, names it in routes, dead letters and buffers
  std::string type;  // the key of its factory in sinks/all_sinks.cpp
  bool enabled = true;
  SinkDeliveryConfig delivery;                 // the keys every sink shares
  std::shared_ptr<const SinkOptions> options;  // the type's own keys; never null once loaded

  // The options as their type: only for the type's own factory, which made them.
  template <typename Options>
  const Options& options_as() const {
    return static_cast<const Options&>(*options);
  }
  bool operator==(const SinkSpec& other) const {
    return name == other.name && type == other.type && enabled == other.enabled &&
           delivery == other.delivery &&
           (options == other.options ||
            (options != nullptr && other.options != nullptr && options->equals(*other.options)));
  }
};

}  // namespace lc
