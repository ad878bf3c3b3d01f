#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace lc {

// Returns the value of an environment variable, or nullopt when it is not set.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

// Expands ${VAR} and ${VAR:-default} (default also when VAR is set but empty; defaults may
// nest references) in raw config text; $$ writes a literal '$' and a '$' not followed by '{'
// or '$' stays as it is. Comments ('#' at line start or after a blank, outside quotes) are
// copied untouched. Throws ConfigError naming "source:line:column" for every variable that
// is unset without default and for malformed references. Newlines are kept, so line numbers
// in later YAML errors still match the file (unless a value itself holds a newline).
std::string expand_environment(std::string_view text, const std::string& source_name);
std::string expand_environment(std::string_view text, const std::string& source_name,
                               const EnvironmentLookup& lookup);

}  // namespace lc
