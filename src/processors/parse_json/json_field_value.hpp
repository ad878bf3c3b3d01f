#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/field_value.hpp"

namespace lc {

// Parses `text` as one JSON value into `out` (objects keep their key order; an integer beyond
// int64 becomes a float). Nesting deeper than `max_depth` is refused, so a hostile line costs
// time and memory in proportion to its length only. Returns what is wrong, or nullopt.
std::optional<std::string> parse_json_field_value(std::string_view text, std::uint32_t max_depth,
                                                  FieldValue& out);

}  // namespace lc
