#include "config/config_reference.hpp"

#include <fmt/format.h>

namespace lc {

std::string config_reference_row(const KeySchema& key) {
  const std::string shown_default =
      key.default_value == "required" ? key.default_value : fmt::format("`{}`", key.default_value);
  return fmt::format("| `{}` | {} | {} | {} |", key.path, key.type, shown_default, key.about);
}

std::string config_reference_table(const std::vector<KeySchema>& keys) {
  std::string table = "| Key | Type | Default | Meaning |\n|---|---|---|---|\n";
  for (const KeySchema& key : keys) table += config_reference_row(key) + "\n";
  return table;
}

}  // namespace lc
