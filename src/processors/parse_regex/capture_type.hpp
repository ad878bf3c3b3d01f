#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/field_value.hpp"

namespace lc {

// What a parse_regex capture becomes (`types: {status: int}`).
enum class CaptureType { kString, kInt, kFloat, kBool };

std::optional<CaptureType> capture_type_named(std::string_view name);
// The capture as a value of `type`, or nullopt when it is not one ("12a" as an int). int: a
// signed 64-bit decimal; float: a finite decimal or exponent form; bool: true/false/1/0/yes/no
// in any case.
std::optional<FieldValue> convert_capture(std::string_view text, CaptureType type);
std::string_view capture_type_name(CaptureType type);

}  // namespace lc
