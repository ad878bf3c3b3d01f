#pragma once

#include <string>
#include <vector>

#include "config/component_options.hpp"

namespace lc {

class YamlSection;

// processors: - type: level (docs/configuration.md): a normalised level field from the first
// field that holds one, else from the message.
struct LevelOptions : OptionsOf<LevelOptions> {
  std::vector<std::string> fields{"level", "severity", "lvl", "loglevel", "log.level"};
  bool message = true;           // look in the message when no field holds a level
  std::string target = "level";  // the field written
  std::string fallback;          // the level of a record stating none; empty: none written

  bool operator==(const LevelOptions&) const = default;
};

void read_level_options(YamlSection& item, LevelOptions& options);

}  // namespace lc
