#pragma once

#include <string>
#include <vector>

#include "config/config_key.hpp"

namespace lc {

// A key's row of the reference tables in docs/configuration.md:
// "| `path` | type | `default` | meaning |" ("required" shows as a word, not a value).
std::string config_reference_row(const KeySchema& key);

// The whole reference as one Markdown table (`log-capturer --print-config-reference`).
std::string config_reference_table(const std::vector<KeySchema>& keys);

}  // namespace lc
