#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_diagnostics.hpp"

namespace lc {

// Returns the value of an environment variable, or nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// One config value with its references expanded, and what was wrong with them.
struct ExpandedValue {
  std::string text;
  std::vector<std::string> problems;  // unset variables without default, malformed references
};

// Expands ${VAR} and ${VAR:-default} (default also when VAR is set but empty; defaults may
// nest references) in one value; $$ writes a literal '$' and a '$' not followed by '{' or '$'
// stays as it is. Inserted values are not expanded again.
ExpandedValue expand_environment_in_value(std::string_view value, const EnvironmentLookup& lookup);

// Expands the references in every scalar value (not key) of a parsed config, in place. Working
// on parsed values, an environment value is never YAML source: "pa #ss", ": ", a leading '*',
// '&' or '[' and backslashes all arrive as written. A plain (unquoted) value that expands to
// nothing becomes null, as if left empty. Problems go to `diagnostics` at the value's position,
// with its key ("sinks.loki.password").
void expand_environment_in_values(const YAML::Node& root, ConfigDiagnostics& diagnostics,
                                  const EnvironmentLookup& lookup);
// The same with the process environment.
void expand_environment_in_values(const YAML::Node& root, ConfigDiagnostics& diagnostics);

}  // namespace lc
