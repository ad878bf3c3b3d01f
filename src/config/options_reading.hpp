#pragma once

#include <memory>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// A factory's read_options(): fresh options of the type with its defaults, then its reader.
template <typename Options>
std::shared_ptr<const ComponentOptions> read_options_with(YamlSection& section,
                                                          void (*read)(YamlSection&, Options&)) {
  auto options = std::make_shared<Options>();
  read(section, *options);
  return options;
}

}  // namespace lc
