#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/field_value.hpp"

namespace lc {

// Parses a logfmt line (`level=info msg="a b" ok`, as Go's logfmt and Heroku's write it) into
// a map of strings, in order: a value is bare (up to a space) or double-quoted (with \" \\ \n
// \t \r escapes); a key without `=` is "true"; a repeated key keeps the last value where the
// first stood. One pass over the line. Returns what is wrong (no pair, an empty key, an open
// quote), or nullopt.
std::optional<std::string> parse_logfmt_fields(std::string_view line, FieldValue& out);

}  // namespace lc
