#pragma once

#include <string>

#include "core/field_value.hpp"

namespace lc {

// `fields` (a map) as one logfmt line: `level=error http.status=500 msg="a b"`; nested maps
// flatten to dotted keys, lists render as JSON, values with spaces, quotes, `=` or control
// characters are quoted with \" \\ \n \r \t escapes (in keys, such characters become `_`).
// Reads back with parse_logfmt.
std::string render_logfmt(const FieldValue& fields);

}  // namespace lc
