#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/log_record.hpp"

struct lua_State;

namespace lc {

// Pushes `record` as the table a script sees: message, fields (nested tables), time
// (nanoseconds), stream, and the source's container_name, container_id, image, labels, file.
void push_record(lua_State* state, const LogRecord& record);

// Reads the script's result (at the top of the stack, popped) into `out`: nil or false drops
// the record; a record table replaces its message and fields; a list of record tables emits
// each (the second and later carry fields.emit_index = 1, 2, ...). Returns a problem (a value
// that is none of these, a table nested deeper than 64), or nullopt.
std::optional<std::string> pop_records(lua_State* state, const LogRecord& original,
                                       std::vector<LogRecord>& out);

}  // namespace lc
