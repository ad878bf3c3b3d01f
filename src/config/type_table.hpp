#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lc {

// The types of one kind of component a configuration may name (sinks/all_sinks.cpp,
// processors/all_processors.cpp), each a factory found by its YAML `type:`.
template <typename Factory>
class TypeTable {
 public:
  explicit TypeTable(std::vector<const Factory*> factories) : factories_(std::move(factories)) {}
  const Factory* find(std::string_view type) const {
    for (const Factory* factory : factories_) {
      if (factory->type() == type) return factory;
    }
    return nullptr;
  }
  std::vector<std::string> names() const {
    std::vector<std::string> names;
    for (const Factory* factory : factories_) names.emplace_back(factory->type());
    return names;
  }
  const std::vector<const Factory*>& all() const { return factories_; }

 private:
  std::vector<const Factory*> factories_;
};

}  // namespace lc
