#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/log_record.hpp"

struct lua_State;

namespace lc {

// Pushes `record` as the table a script sees: message, fields (nested tables), time and
// event_time (nanoseconds; event_time writable, nil when unknown), stream, and the source's
// container_name, container_id, image, labels, file.
void push_record(lua_State* state, const LogRecord& record);

// Reads the script's result (at the top of the stack, popped) into `out`: nil or false drops
// the record; a record table replaces its message and fields; a list of record tables emits
// each (the second and later carry fields.emit_index = 1, 2, ...). Returns a problem (a value
// that is none of these, a table nested deeper than 64), or nullopt.
std::optional<std::string> pop_records(lua_State* state, const LogRecord& original,
                                       std::vector<LogRecord>& out);

// Batch mode. Pushes a table mapping each record table to its place (for pop_batch), then the
// list of `records` as record tables (the function's argument, on top).
void push_batch(lua_State* state, std::span<const LogRecord> records);

// Reads a batch function's result (on top, above push_batch's map; both popped) into `out`: nil
// or an empty list drops them all; otherwise a list of record tables, in the order they go on.
// A table the function was given is that record (changed); a new table is a record of the
// source of the one before it in the list (or of the first record), carrying an emit_index
// when that record already went on. Returns a problem (as pop_records), out then unchanged.
std::optional<std::string> pop_batch(lua_State* state, std::span<const LogRecord> originals,
                                     std::vector<LogRecord>& out);

}  // namespace lc
