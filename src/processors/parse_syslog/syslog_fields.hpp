#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/field_value.hpp"

namespace lc {

// Parses a syslog line as an application writes it to its output: RFC 5424
// (`<165>1 2003-10-11T22:14:15.003Z host app 1234 ID47 [sd@1 k="v"] text`) or RFC 3164 (`<34>Oct
// 11 22:14:15 host su[12]: text`, the <PRI> optional) into a map: facility and severity
// (numbers, from PRI), level (severity's name: emerg ... debug), timestamp, hostname, appname,
// procid, msgid, structured_data (sd-id -> {param: value}) and message, each only where the
// line has it. Returns what is wrong, or nullopt.
std::optional<std::string> parse_syslog_fields(std::string_view line, FieldValue& out);

}  // namespace lc
