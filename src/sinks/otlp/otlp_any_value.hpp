#pragma once

#include <string>
#include <string_view>

#include "core/field_value.hpp"
#include "sinks/otlp/logs_service.pb.h"

namespace lc {

// A structured field's value as an OTLP AnyValue: null stays an empty AnyValue, bool, integer,
// float and string map to their own kinds, a map to a kvlist_value and a list to an
// array_value, at any depth. Strings are repaired to UTF-8 (`scratch` is working space).
void set_otlp_any_value(const FieldValue& value, otlp::AnyValue& out, std::string& scratch);

// Sets `out` to `text` repaired to UTF-8 (unless `known_valid`).
void set_otlp_string(std::string_view text, bool known_valid, std::string* out,
                     std::string& scratch);

}  // namespace lc
